using System.Collections.Concurrent;
using Google.Protobuf;
using Kiln.CSharp.Protobuf;
using Kiln.CSharp.Protobuf.Grpc;
using Kiln.Protobuf;

namespace Kiln.Build;

/// <summary>
/// The generators Kiln runs in-process for <c>kiln protoc</c>: <c>--csharp_out</c> (protoc's C#
/// generator) and <c>--grpc_out</c> (grpc_csharp_plugin's, unless <c>--plugin=protoc-gen-grpc=</c>
/// names a program to run instead). Files are generated in parallel and checked in input order,
/// with protoc's messages for its failures (an unknown option, a path used twice, a missing
/// folder); on a failure nothing is written.
/// </summary>
internal static class BuiltInGenerators
{
    /// <summary>Each thread's text buffer, kept across runs (it grows to the largest file it generated).</summary>
    [ThreadStatic]
    private static CharBuffer? t_text;

    /// <summary>
    /// Whether Kiln runs <paramref name="generator"/> itself: always for <c>csharp</c>; for <c>grpc</c>
    /// unless the command line names a <c>protoc-gen-grpc</c> program (then that plugin runs, as in protoc).
    /// </summary>
    public static bool IsBuiltIn(ProtocGenerator generator, IReadOnlyDictionary<string, string> plugins) =>
        generator.Name == "csharp" || (generator.Name == "grpc" && !plugins.ContainsKey("protoc-gen-grpc"));

    /// <param name="index">The compilation's types, made once per run for all built-in generators (<see cref="BuildIndex"/>).</param>
    public static ProtocOutcome? Run(ProtocGenerator generator, IReadOnlyList<LinkedProtoFile> roots, Func<ProtoTypeIndex> index, List<string> messages, List<string> outputs) =>
        generator.Name == "grpc" ? RunGrpc(generator, roots, index, messages, outputs) : RunCSharp(generator, roots, index, messages, outputs);

    private static ProtocOutcome? RunCSharp(ProtocGenerator generator, IReadOnlyList<LinkedProtoFile> roots, Func<ProtoTypeIndex> types, List<string> messages, List<string> outputs)
    {
        var flag = $"--{generator.Name}_out";
        var options = CSharpOptions.Parse(generator.Parameter, out var optionError);
        if (options == null)
        {
            // protoc reports a generator's failure against the first file it was generating.
            messages.Add($"{flag}: {roots[0].Path}: {optionError}");
            return ProtocOutcome.Errors;
        }

        var index = types();

        // Every path is known before any code is generated: a failure leaves the output folder untouched, as in protoc.
        var paths = new string[roots.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < roots.Count; i++)
        {
            if (CSharpGenerator.GetOutputPath(index.GetFile(roots[i].Path), options, out var pathError) is not { } path)
            {
                messages.Add($"{flag}: {roots[i].Path}: {pathError}");
                return ProtocOutcome.Errors;
            }

            if (!seen.Add(path))
            {
                messages.Add($"{path}: Tried to write the same file twice.");
                return ProtocOutcome.Errors;
            }

            paths[i] = path;
        }

        // Each file is generated into its thread's buffer and written at once, so memory holds a
        // few files at a time, not the whole output (hundreds of megabytes for a large corpus).
        return WriteFiles(generator, paths, (i, path, folders) =>
        {
            var text = t_text ??= new CharBuffer(1 << 20);
            text.Clear();
            var embedded = roots[i].ToGeneratorDescriptorProto().ToByteArray();
            CSharpGenerator.Generate(index.GetFile(roots[i].Path), embedded, options, text);
            OutputWriter.WriteIfChanged(path, text.WrittenSpan, folders);
        }, messages, outputs);
    }

    /// <summary>
    /// grpc_csharp_plugin's output: one file per input with services. These files are small (the
    /// service classes), so they are all made first and then written.
    /// </summary>
    private static ProtocOutcome? RunGrpc(ProtocGenerator generator, IReadOnlyList<LinkedProtoFile> roots, Func<ProtoTypeIndex> types, List<string> messages, List<string> outputs)
    {
        var flag = $"--{generator.Name}_out";
        var options = GrpcOptions.Parse(generator.Parameter, out var optionError);
        if (options == null)
        {
            messages.Add($"{flag}: {roots[0].Path}: {optionError}");
            return ProtocOutcome.Errors;
        }

        var index = types();
        var generated = new GrpcGeneratedFile?[roots.Count];
        var errors = new string?[roots.Count];
        Parallel.For(0, roots.Count, i => generated[i] = GrpcCSharpGenerator.Generate(index.GetFile(roots[i].Path), options, out errors[i]));

        var files = new List<GrpcGeneratedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < roots.Count; i++)
        {
            if (errors[i] != null)
            {
                messages.Add($"{flag}: {roots[i].Path}: {errors[i]}");
                return ProtocOutcome.Errors;
            }

            if (generated[i] is not { } file)
            {
                continue;
            }

            if (!seen.Add(file.Path))
            {
                messages.Add($"{file.Path}: Tried to write the same file twice.");
                return ProtocOutcome.Errors;
            }

            files.Add(file);
        }

        return WriteFiles(generator, files.ConvertAll(f => f.Path), (i, path, folders) => OutputWriter.WriteIfChanged(path, files[i].Content, folders), messages, outputs);
    }

    /// <summary>
    /// Writes the files at <paramref name="paths"/> (relative to the output folder) in parallel through
    /// <paramref name="write"/>, which gets the index, the full path and the folders known to exist;
    /// the missing-folder and I/O failures read as protoc's.
    /// </summary>
    private static ProtocOutcome? WriteFiles(ProtocGenerator generator, IReadOnlyList<string> paths, Action<int, string, ConcurrentDictionary<string, byte>> write, List<string> messages, List<string> outputs)
    {
        if (!Directory.Exists(generator.OutputDirectory))
        {
            messages.Add($"{generator.OutputDirectory}/: No such file or directory");
            return ProtocOutcome.UsageOrIOError;
        }

        var folders = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        try
        {
            Parallel.For(0, paths.Count, i => write(i, OutputWriter.ContainedPath(generator.OutputDirectory, paths[i])!, folders));
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            messages.Add($"{generator.OutputDirectory}: {e.InnerException.Message}");
            return ProtocOutcome.UsageOrIOError;
        }

        foreach (var path in paths)
        {
            outputs.Add(generator.OutputDirectory.TrimEnd('/') + "/" + path);
        }

        return null;
    }

    /// <summary>Every file of the compilation (imports first), the roots with their source info for doc comments.</summary>
    public static ProtoTypeIndex BuildIndex(IReadOnlyList<LinkedProtoFile> roots)
    {
        var index = new ProtoTypeIndex([]);
        var rootPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            rootPaths.Add(root.Path);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            ImportOrder.AddTransitive(root, seen, file => index.Add(file.Descriptor, rootPaths.Contains(file.Path) ? file.SourceCodeInfo : null));
        }

        return index;
    }
}
