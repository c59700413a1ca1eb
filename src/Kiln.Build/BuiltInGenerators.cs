using Google.Protobuf;
using Kiln.CSharp.Protobuf;
using Kiln.Protobuf;

namespace Kiln.Build;

/// <summary>
/// The generators Kiln runs in-process for <c>kiln protoc</c>: <c>--csharp_out</c> (protoc's C#
/// generator). Files are generated in parallel, then checked and written in input order, with
/// protoc's messages for its failures (an unknown option, a path used twice, a missing folder).
/// </summary>
internal static class BuiltInGenerators
{
    /// <summary>Names of the <c>--NAME_out</c> generators Kiln has built in.</summary>
    public static bool IsBuiltIn(string name) => name == "csharp";

    public static ProtocOutcome? Run(ProtocGenerator generator, IReadOnlyList<LinkedProtoFile> roots, List<string> messages, List<string> outputs)
    {
        var flag = $"--{generator.Name}_out";
        var options = CSharpOptions.Parse(generator.Parameter, out var optionError);
        if (options == null)
        {
            // protoc reports a generator's failure against the first file it was generating.
            messages.Add($"{flag}: {roots[0].Path}: {optionError}");
            return ProtocOutcome.Errors;
        }

        var index = BuildIndex(roots);
        var generated = new CSharpGeneratedFile?[roots.Count];
        var errors = new string?[roots.Count];
        Parallel.For(0, roots.Count, i =>
        {
            var root = roots[i];
            var embedded = root.ToGeneratorDescriptorProto().ToByteArray();
            generated[i] = CSharpGenerator.Generate(index.GetFile(root.Path), embedded, options, out errors[i]);
        });

        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>(roots.Count);
        for (var i = 0; i < roots.Count; i++)
        {
            if (generated[i] is not { } file)
            {
                messages.Add($"{flag}: {roots[i].Path}: {errors[i]}");
                return ProtocOutcome.Errors;
            }

            if (!byPath.TryAdd(file.Path, file.Content))
            {
                messages.Add($"{file.Path}: Tried to write the same file twice.");
                return ProtocOutcome.Errors;
            }

            order.Add(file.Path);
        }

        return Write(generator, byPath, order, messages, outputs);
    }

    /// <summary>Every file of the compilation (imports first), the roots with their source info for doc comments.</summary>
    private static ProtoTypeIndex BuildIndex(IReadOnlyList<LinkedProtoFile> roots)
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

    private static ProtocOutcome? Write(ProtocGenerator generator, Dictionary<string, string> files, List<string> order, List<string> messages, List<string> outputs)
    {
        if (!Directory.Exists(generator.OutputDirectory))
        {
            messages.Add($"{generator.OutputDirectory}/: No such file or directory");
            return ProtocOutcome.UsageOrIOError;
        }

        var paths = new string[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            paths[i] = OutputWriter.ContainedPath(generator.OutputDirectory, order[i])!;
        }

        try
        {
            var folders = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            Parallel.For(0, order.Count, i => OutputWriter.WriteIfChanged(paths[i], files[order[i]], folders));
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            messages.Add($"{generator.OutputDirectory}: {e.InnerException.Message}");
            return ProtocOutcome.UsageOrIOError;
        }

        foreach (var name in order)
        {
            outputs.Add(generator.OutputDirectory.TrimEnd('/') + "/" + name);
        }

        return null;
    }
}
