using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Compiler;
using Google.Protobuf.Reflection;
using Kiln.CSharp.Protobuf;
using Kiln.Protobuf;
using Kiln.Text;

namespace Kiln.Build;

/// <summary>How a <c>kiln protoc</c> run ended.</summary>
public enum ProtocOutcome
{
    Success,

    /// <summary>The .proto files had errors, or a plugin failed.</summary>
    Errors,

    /// <summary>The command line was wrong, or a file could not be read or written.</summary>
    UsageOrIOError,
}

/// <summary>What a run printed (protoc's messages, in its shapes) and how it ended.</summary>
public sealed record ProtocResult(ProtocOutcome Outcome, IReadOnlyList<string> Messages);

/// <summary>
/// <c>protoc</c>'s driver on the Kiln workspace: maps the inputs to virtual paths, parses and links
/// them and their imports in parallel (<see cref="ProtobufWorkspace"/>), prints diagnostics as protoc
/// does, writes the descriptor set, and runs plugins through the plugin protocol.
/// </summary>
public static class ProtocRun
{
    /// <summary>The protoc version Kiln reproduces; plugins see it as <c>compiler_version</c>.</summary>
    public static Google.Protobuf.Compiler.Version CompilerVersion => new() { Major = 7, Minor = 35, Patch = 1, Suffix = "" };

    public static ProtocResult Run(ProtocRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<string>();
        ProtocResult Fail(ProtocOutcome outcome, string message)
        {
            messages.Add(message);
            return new ProtocResult(outcome, messages);
        }

        // Generators Kiln does not have are refused before any work.
        foreach (var generator in request.Generators)
        {
            if (BuiltInGenerators.IsBuiltIn(generator, request.Plugins))
            {
                continue;
            }

            if (ProtocArguments.BuiltInGenerators.Contains(generator.Name))
            {
                return Fail(ProtocOutcome.UsageOrIOError, $"--{generator.Name}_out: protoc's built-in {generator.Name} generator is not available in Kiln.");
            }
        }

        var plugins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var generator in request.Generators)
        {
            if (BuiltInGenerators.IsBuiltIn(generator, request.Plugins))
            {
                continue;
            }

            var name = "protoc-gen-" + generator.Name;
            var program = request.Plugins.GetValueOrDefault(name) ?? FindOnPath(name);
            if (program == null || !File.Exists(program))
            {
                return Fail(ProtocOutcome.UsageOrIOError,
                    $"{name}: program not found or is not executable\nPlease specify a program using absolute path or make sure the program is available in your PATH system variable\n--{generator.Name}_out: {name}: Plugin failed with status code 1.");
            }

            plugins[generator.Name] = program;
        }

        var tree = new ProtocSourceTree(request.ProtoPaths);
        var roots = new List<string>();
        var rootSet = new HashSet<string>(StringComparer.Ordinal); // a list's Contains made 8 000 inputs quadratic
        foreach (var input in request.Inputs)
        {
            switch (tree.MapInput(input, out var virtualFile, out var shadowing))
            {
                case ProtoInputMapping.Success:
                    if (rootSet.Add(virtualFile))
                    {
                        roots.Add(virtualFile);
                    }

                    break;
                case ProtoInputMapping.NotFound:
                    return Fail(ProtocOutcome.UsageOrIOError, $"Could not make proto path relative: {input}: No such file or directory");
                case ProtoInputMapping.Shadowed:
                    return Fail(ProtocOutcome.UsageOrIOError,
                        $"{input}: Input is shadowed in the --proto_path by \"{shadowing}\".  Either use the latter file as your input or reorder the --proto_path so that the former file's location comes first.");
                default:
                    return Fail(ProtocOutcome.UsageOrIOError,
                        $"{input}: File does not reside within any path specified using --proto_path (or -I).  You must specify a --proto_path which encompasses this file.  " +
                        "Note that the proto_path must be an exact prefix of the .proto file names -- protoc is too dumb to figure out when two paths (e.g. absolute and relative) are equivalent (it's harder than you think).");
            }
        }

        // Plugins and --include_source_info need protoc's whole source info; Kiln's own generators read only comments.
        var pluginsRun = request.Generators.Exists(g => !BuiltInGenerators.IsBuiltIn(g, request.Plugins));
        var workspace = new ProtobufWorkspace(tree, new LinkOptions
        {
            IncludeSourceInfo = request.IncludeSourceInfo || request.Generators.Count > 0,
            CommentsOnly = !request.IncludeSourceInfo && !pluginsRun,
        });
        workspace.Load(roots);
        workspace.LinkAll();

        // Diagnostics file by file, imports first (the order protoc builds them in).
        var hadErrors = false;
        var hadWarnings = false;
        var linked = new List<LinkedProtoFile>();
        foreach (var d in workspace.FileDiagnostics())
        {
            messages.Add(d.Code == ProtobufDiagnostics.FileNotFound.Code ? d.Message : d.ToProtocFormat());
            hadErrors = true;
        }

        var order = PostOrder(workspace, roots);
        var conflicts = RunConflicts.Find(order.Select(p => workspace.Link.Get(workspace.Database, p)).ToList(), p => workspace.Parse.Get(workspace.Database, p));
        foreach (var path in order)
        {
            var file = workspace.Link.Get(workspace.Database, path);
            linked.Add(file);
            var display = workspace.SourceOf(path).DiskPath ?? path;
            // protoc warns of unused imports only in the files it was asked to compile.
            var unused = rootSet.Contains(path) ? file.UnusedImportWarnings : [];
            foreach (var d in file.Diagnostics.Concat(conflicts.GetValueOrDefault(path) ?? []).Concat(unused))
            {
                messages.Add(Format(d with { Path = display }, request.ErrorFormat));
                hadErrors |= d.IsError;
                hadWarnings |= !d.IsError;
            }
        }

        var rootFiles = roots.Select(r => workspace.SourceOf(r).Text == null ? null : workspace.Link.Get(workspace.Database, r)).ToList();
        if (hadErrors || rootFiles.Exists(f => f is null or { HasErrors: true }))
        {
            return new ProtocResult(ProtocOutcome.Errors, messages);
        }

        if (hadWarnings && request.FatalWarnings)
        {
            return new ProtocResult(ProtocOutcome.Errors, messages);
        }

        var files = rootFiles.Select(f => f!).ToList();
        var outputs = new List<string>();
        ProtoTypeIndex? types = null;
        foreach (var generator in request.Generators)
        {
            var failure = BuiltInGenerators.IsBuiltIn(generator, request.Plugins)
                ? BuiltInGenerators.Run(generator, files, () => types ??= BuiltInGenerators.BuildIndex(files), messages, outputs)
                : RunPlugin(generator, plugins[generator.Name], files, messages, outputs);
            if (failure is { } failed)
            {
                return new ProtocResult(failed, messages);
            }
        }

        if (request.DescriptorSetOut != null)
        {
            var setBytes = SerializeDescriptorSet(files, request.IncludeImports, request.IncludeSourceInfo);
            try
            {
                OutputWriter.WriteIfChanged(request.DescriptorSetOut, [.. setBytes]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(ProtocOutcome.UsageOrIOError, $"{request.DescriptorSetOut}: {e.Message}");
            }
        }

        if (request.DependencyOut != null)
        {
            if (request.DescriptorSetOut != null)
            {
                outputs.Add(request.DescriptorSetOut);
            }

            try
            {
                OutputWriter.WriteIfChanged(request.DependencyOut, DependencyManifest(outputs, DescriptorSetFiles(files, includeImports: true).Select(f => workspace.SourceOf(f.Path).DiskPath ?? f.Path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(ProtocOutcome.UsageOrIOError, $"{request.DependencyOut}: {e.Message}");
            }
        }

        return new ProtocResult(ProtocOutcome.Success, messages);
    }

    /// <summary>
    /// protoc's <c>--dependency_out</c> file: a make rule, the outputs (plugins' files, then the
    /// descriptor set) before the colon, each .proto they came from (imports first, as protoc
    /// names them on disk) after it, lines continued with a backslash, no final newline.
    /// </summary>
    public static string DependencyManifest(IReadOnlyList<string> outputs, IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return string.Join(" \\\n", outputs) + ":" + string.Join("\\\n", sources.Select(s => " " + s));
    }

    /// <summary>protoc's <c>--error_format</c>: gcc (<c>file:line:col: message</c>) or msvs.</summary>
    private static string Format(Diagnostic d, string errorFormat)
    {
        if (errorFormat == "msvs" && d.Line > 0)
        {
            return $"{d.Path}({d.Line}) : {(d.IsError ? "error" : "warning")} in column={d.Column}: {d.Message}";
        }

        return d.ToProtocFormat();
    }

    /// <summary>Loaded files in depth-first post-order from the roots (imports before importers).</summary>
    internal static List<string> PostOrder(ProtobufWorkspace workspace, IReadOnlyList<string> roots)
    {
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new WalkStack();
        foreach (var root in roots)
        {
            if (!seen.Add(root))
            {
                continue;
            }

            stack.Push(root, 0);
            while (stack.Count > 0)
            {
                var path = stack.Pop(out var next);
                var source = workspace.SourceOf(path);
                var imports = workspace.ImportsOf(path);
                if (next < imports.Count)
                {
                    stack.Push(path, next + 1);
                    if (seen.Add(imports[next]))
                    {
                        stack.Push(imports[next], 0);
                    }

                    continue;
                }

                if (source.Text != null)
                {
                    order.Add(path);
                }
            }
        }

        return order;
    }

    /// <summary>
    /// protoc's <c>--descriptor_set_out</c>: the roots in order, each preceded by its imports in
    /// depth-first post-order (no repeats) with <c>--include_imports</c>.
    /// </summary>
    public static FileDescriptorSet BuildDescriptorSet(IReadOnlyList<LinkedProtoFile> roots, bool includeImports, bool includeSourceInfo)
    {
        var set = new FileDescriptorSet();
        foreach (var file in DescriptorSetFiles(roots, includeImports))
        {
            set.File.Add(file.ToDescriptorProto(includeSourceInfo));
        }

        return set;
    }

    /// <summary>
    /// <see cref="BuildDescriptorSet"/> serialized, as segments whose concatenation is the bytes of
    /// that set's <c>ToByteArray()</c> (a <see cref="FileDescriptorSet"/> is its files one after
    /// another, each as field 1): the files are serialized in parallel (one by one they were a tenth
    /// of a whole-corpus run), and never joined into one large buffer.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> SerializeDescriptorSet(IReadOnlyList<LinkedProtoFile> roots, bool includeImports, bool includeSourceInfo)
    {
        var files = DescriptorSetFiles(roots, includeImports);
        var parts = new byte[files.Count][];
        Parallel.For(0, files.Count, i => parts[i] = files[i].ToByteArray(includeSourceInfo));

        // Each file's field header (tag, then its length as a varint) goes in one shared array.
        const byte FileTag = (FileDescriptorSet.FileFieldNumber << 3) | 2; // field 1, length-delimited
        var headers = new byte[parts.Length * 6];
        var segments = new List<ReadOnlyMemory<byte>>(parts.Length * 2);
        var at = 0;
        foreach (var part in parts)
        {
            var start = at;
            headers[at++] = FileTag;
            for (var length = (uint)part.Length; ; length >>= 7)
            {
                if (length < 0x80)
                {
                    headers[at++] = (byte)length;
                    break;
                }

                headers[at++] = (byte)(length | 0x80);
            }

            segments.Add(headers.AsMemory(start, at - start));
            segments.Add(part);
        }

        return segments;
    }

    /// <summary>The files of a descriptor set in protoc's order: the roots, each preceded by its imports in post-order with <c>--include_imports</c>.</summary>
    private static List<LinkedProtoFile> DescriptorSetFiles(IReadOnlyList<LinkedProtoFile> roots, bool includeImports)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var files = new List<LinkedProtoFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (includeImports)
            {
                ImportOrder.AddTransitive(root, seen, files.Add);
            }
            else if (seen.Add(root.Path))
            {
                files.Add(root);
            }
        }

        return files;
    }

    /// <summary>
    /// The plugin request protoc sends: files to generate, parameter, version; <c>proto_file</c> = the
    /// closure in post-order with source info, imports with their source-retention options kept, files
    /// to generate without them; <c>source_file_descriptors</c> = the files to generate with them, in
    /// <c>proto_file</c> order (protoc's GeneratePluginOutput).
    /// </summary>
    public static CodeGeneratorRequest BuildRequest(IReadOnlyList<LinkedProtoFile> roots, string parameter)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var request = new CodeGeneratorRequest { CompilerVersion = CompilerVersion };
        if (parameter.Length > 0)
        {
            request.Parameter = parameter;
        }

        var toGenerate = new HashSet<string>(roots.Select(r => r.Path), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            request.FileToGenerate.Add(root.Path);
            ImportOrder.AddTransitive(root, seen, f =>
            {
                if (toGenerate.Contains(f.Path))
                {
                    request.ProtoFile.Add(f.ToDescriptorProto(includeSourceInfo: true));
                    request.SourceFileDescriptors.Add(f.ToSourceRetentionDescriptorProto());
                }
                else
                {
                    request.ProtoFile.Add(f.ToSourceRetentionDescriptorProto());
                }
            });
        }

        return request;
    }

    /// <param name="outputs">Told each file the plugin wrote (its output folder, '/', its name), for <c>--dependency_out</c>.</param>
    private static ProtocOutcome? RunPlugin(ProtocGenerator generator, string program, IReadOnlyList<LinkedProtoFile> roots, List<string> messages, List<string> outputs)
    {
        var flag = $"--{generator.Name}_out";
        var request = BuildRequest(roots, generator.Parameter);
        byte[] responseBytes;
        int exitCode;
        string stderrText;
        try
        {
            var psi = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi)!;
            var stdout = new MemoryStream();
            var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var readErr = process.StandardError.ReadToEndAsync();
            try
            {
                request.WriteTo(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The plugin exited without reading everything; its exit code says why.
            }

            readOut.GetAwaiter().GetResult();
            stderrText = readErr.GetAwaiter().GetResult();
            process.WaitForExit();
            exitCode = process.ExitCode;
            responseBytes = stdout.ToArray();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            messages.Add($"protoc-gen-{generator.Name}: {e.Message}\n{flag}: protoc-gen-{generator.Name}: Plugin failed with status code 1.");
            return ProtocOutcome.UsageOrIOError;
        }

        if (stderrText.Length > 0)
        {
            messages.Add(stderrText.TrimEnd('\n'));
        }

        if (exitCode != 0)
        {
            messages.Add($"{flag}: protoc-gen-{generator.Name}: Plugin failed with status code {exitCode}.");
            return ProtocOutcome.Errors;
        }

        CodeGeneratorResponse response;
        try
        {
            response = CodeGeneratorResponse.Parser.ParseFrom(responseBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            messages.Add($"{flag}: protoc-gen-{generator.Name}: Plugin output is unparseable: {Convert.ToHexString(responseBytes.AsSpan(0, Math.Min(32, responseBytes.Length)))}");
            return ProtocOutcome.Errors;
        }

        if (response.HasError)
        {
            messages.Add($"{flag}: {response.Error}");
            return ProtocOutcome.Errors;
        }

        if ((response.SupportedFeatures & (ulong)CodeGeneratorResponse.Types.Feature.Proto3Optional) == 0)
        {
            foreach (var root in roots)
            {
                if (HasProto3Optional(root.Descriptor))
                {
                    messages.Add($"{root.Path}: is a proto3 file that contains optional fields, but code generator protoc-gen-{generator.Name} hasn't been updated to support optional fields in proto3. " +
                                 "Please ask the owner of this code generator to support proto3 optional.");
                    messages.Add($"{flag}: ");
                    return ProtocOutcome.Errors;
                }
            }
        }

        return WriteResponse(generator, response, messages, outputs);
    }

    /// <summary>Writes the response's files under the output folder, applying insertion points to files of the same response.</summary>
    private static ProtocOutcome? WriteResponse(ProtocGenerator generator, CodeGeneratorResponse response, List<string> messages, List<string> outputs)
    {
        if (!Directory.Exists(generator.OutputDirectory))
        {
            messages.Add($"{generator.OutputDirectory}/: No such file or directory");
            return ProtocOutcome.UsageOrIOError;
        }

        var files = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        var order = new List<string>();
        string? last = null;
        foreach (var file in response.File)
        {
            var name = file.Name;
            if (name.Length == 0)
            {
                if (last == null)
                {
                    messages.Add($"--{generator.Name}_out: First file chunk returned by plugin did not have a file name.");
                    return ProtocOutcome.Errors;
                }

                files[last].Append(file.Content);
                continue;
            }

            if (OutputWriter.ContainedPath(generator.OutputDirectory, name) == null)
            {
                messages.Add($"--{generator.Name}_out: Plugin wrote to a path outside the output folder: {name}");
                return ProtocOutcome.Errors;
            }

            if (file.InsertionPoint.Length > 0)
            {
                if (!files.TryGetValue(name, out var target))
                {
                    messages.Add($"{name}: Tried to insert into file that doesn't exist.");
                    return ProtocOutcome.Errors;
                }

                if (!Insert(target, file.InsertionPoint, file.Content))
                {
                    messages.Add($"{name}: insertion point \"{file.InsertionPoint}\" not found.");
                    return ProtocOutcome.Errors;
                }

                continue;
            }

            if (files.ContainsKey(name))
            {
                messages.Add($"{name}: Tried to write the same file twice.");
                return ProtocOutcome.Errors;
            }

            files[name] = new System.Text.StringBuilder(file.Content);
            order.Add(name);
            last = name;
        }

        try
        {
            foreach (var name in order)
            {
                OutputWriter.WriteIfChanged(OutputWriter.ContainedPath(generator.OutputDirectory, name)!, files[name].ToString());
                outputs.Add(generator.OutputDirectory.TrimEnd('/') + "/" + name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            messages.Add($"{generator.OutputDirectory}: {e.Message}");
            return ProtocOutcome.UsageOrIOError;
        }

        return null;
    }

    /// <summary>
    /// protoc's insertion: the content goes before the line holding <c>@@protoc_insertion_point(NAME)</c>,
    /// each line prefixed with that line's indentation.
    /// </summary>
    private static bool Insert(System.Text.StringBuilder target, string point, string content)
    {
        var text = target.ToString();
        var marker = text.IndexOf($"@@protoc_insertion_point({point})", StringComparison.Ordinal);
        if (marker < 0)
        {
            return false;
        }

        var lineStart = text.LastIndexOf('\n', marker) + 1;
        var indent = text[lineStart..marker];
        indent = indent[..(indent.Length - indent.TrimStart(' ', '\t').Length)];
        var insertion = new System.Text.StringBuilder();
        foreach (var line in content.Split('\n').SkipLast(content.EndsWith('\n') ? 1 : 0))
        {
            insertion.Append(line.Length > 0 ? indent : "").Append(line).Append('\n');
        }

        target.Insert(lineStart, insertion.ToString());
        return true;
    }

    private static bool HasProto3Optional(FileDescriptorProto file)
    {
        var stack = new Stack<DescriptorProto>(file.MessageType);
        while (stack.Count > 0)
        {
            var message = stack.Pop();
            if (message.Field.Any(f => f.Proto3Optional))
            {
                return true;
            }

            foreach (var nested in message.NestedType)
            {
                stack.Push(nested);
            }
        }

        return file.Extension.Any(f => f.Proto3Optional);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
