using System.Text;

namespace Kiln.MSBuild;

/// <summary>One <c>&lt;Protobuf&gt;</c> item as the targets hand it over: its path and the metadata Grpc.Tools defines.</summary>
internal sealed record ProtoItem(
    string ItemSpec,
    string ProtoRoot,
    string OutputDir,
    string GrpcOutputDir,
    string GrpcServices,
    string Access,
    string AdditionalImportDirs,
    string AdditionalProtocArguments,
    string OutputOptions,
    string GrpcOutputOptions,
    bool CompileOutputs)
{
    /// <summary>The item's file as a full path, when the caller has worked it out already ("": <see cref="ProtobufPlan.Plan"/> does).</summary>
    public string FullPath { get; init; } = "";
}

/// <summary>A problem with an item's metadata, reported by the task as an MSBuild diagnostic.</summary>
internal sealed record PlanMessage(string Code, string Message, string File, bool IsError);

/// <summary>
/// The items that one Kiln build compiles together: the same proto root, import folders, output
/// folders (Grpc.Tools puts each file's outputs in the output folder plus the file's folder
/// relative to its <c>ProtoRoot</c>, so files of different folders never share a group) and options.
/// </summary>
internal sealed record ProtoGroup(
    string Root,
    IReadOnlyList<string> ImportPaths,
    string CSharpOut,
    string CSharpOptions,
    string? GrpcOut,
    string? GrpcOptions,
    bool CompileOutputs,
    bool FatalWarnings)
{
    public List<string> Files { get; } = [];

    public List<ProtoItem> Items { get; } = [];

    /// <summary>Each of <see cref="Files"/> with its item (a list search per item made 2,000 items cost 40 ms).</summary>
    private readonly Dictionary<string, ProtoItem> _itemOf = new(StringComparer.Ordinal);

    /// <summary>Adds an item's file, once: an item listed twice is taken once.</summary>
    public void Add(string fullPath, ProtoItem item)
    {
        if (_itemOf.TryAdd(fullPath, item))
        {
            Files.Add(fullPath);
            Items.Add(item);
        }
    }

    /// <summary>The item (as the project names it) of one of <see cref="Files"/>; "" for another file.</summary>
    public string ItemSpecOf(string fullPath) => _itemOf.TryGetValue(fullPath, out var item) ? item.ItemSpec : "";

    /// <summary>Everything that makes this group what it is: names its state file.</summary>
    public string Key => string.Join('\n', Root, string.Join(';', ImportPaths), CSharpOut, CSharpOptions, GrpcOut ?? "-", GrpcOptions ?? "-", CompileOutputs, FatalWarnings);
}

/// <summary>
/// Turns <c>&lt;Protobuf&gt;</c> items into Kiln builds with Grpc.Tools' meaning: where outputs go,
/// which options the generators get, which folders imports come from. Pure: paths are made full
/// against the project folder and nothing is read.
/// </summary>
internal static class ProtobufPlan
{
    public static IReadOnlyList<ProtoGroup> Plan(IEnumerable<ProtoItem> items, string projectDirectory, string standardImportsPath, List<PlanMessage> messages)
    {
        var groups = new Dictionary<string, ProtoGroup>(StringComparer.Ordinal);
        var result = new List<ProtoGroup>();
        // Items of one folder with the same metadata go to the same group: its settings are worked
        // out once (2,000 items allocated 6 MB here, and the task's garbage collections cost more
        // than its work). Only a combination that produced no message is remembered, so every item
        // still gets its own warnings.
        // Items usually come in runs of one folder and one set of metadata (a glob): an item like
        // the one before it joins its group without the memo's key (a copy of the item, hashed).
        var known = new Dictionary<(string Folder, ProtoItem Metadata), ProtoGroup>();
        ProtoItem? lastItem = null;
        var lastFull = "";
        ProtoGroup? lastGroup = null;
        foreach (var item in items)
        {
            var full = item.FullPath.Length > 0 ? item.FullPath : Full(projectDirectory, item.ItemSpec);
            if (lastGroup is not null && SameMetadata(item, lastItem!) && Path.GetDirectoryName(full.AsSpan()).SequenceEqual(Path.GetDirectoryName(lastFull.AsSpan())))
            {
                lastGroup.Add(full, item);
                continue;
            }

            (lastItem, lastFull, lastGroup) = (item, full, null);
            var memo = (Path.GetDirectoryName(full) ?? "", item with { ItemSpec = "", FullPath = "" });
            if (known.TryGetValue(memo, out var same))
            {
                same.Add(full, item);
                lastGroup = same;
                continue;
            }

            var messageCount = messages.Count;
            var root = Full(projectDirectory, item.ProtoRoot.Length == 0 ? Path.GetDirectoryName(full)! : item.ProtoRoot);
            var relative = RelativeDirectory(root, full);
            if (relative is null)
            {
                messages.Add(new PlanMessage("KLN0101", $"Protobuf item '{item.ItemSpec}' has the ProtoRoot '{item.ProtoRoot}', which is not a folder above it; its outputs go straight into the output folder.", full, IsError: false));
                relative = "";
            }

            var outputDir = item.OutputDir.Length == 0 ? projectDirectory : item.OutputDir;
            var csharpOut = Full(projectDirectory, Path.Combine(outputDir, relative));
            var csharpOptions = new List<string>(SplitOptions(item.OutputOptions));
            var grpcOptions = new List<string>(SplitOptions(item.GrpcOutputOptions));
            var internalAccess = item.Access.Equals("Internal", StringComparison.OrdinalIgnoreCase);
            if (!internalAccess && item.Access.Length > 0 && !item.Access.Equals("Public", StringComparison.OrdinalIgnoreCase))
            {
                messages.Add(new PlanMessage("KLN0102", $"Access '{item.Access}' of '{item.ItemSpec}' is neither Public nor Internal; Public is used.", full, IsError: false));
            }

            if (internalAccess)
            {
                csharpOptions.Add("internal_access");
                grpcOptions.Add("internal_access");
            }

            var grpc = true;
            switch (item.GrpcServices.ToUpperInvariant())
            {
                case "" or "BOTH":
                    break;
                case "NONE" or "FALSE":
                    grpc = false;
                    break;
                case "CLIENT":
                    grpcOptions.Add("no_server");
                    break;
                case "SERVER":
                    grpcOptions.Add("no_client");
                    break;
                default:
                    messages.Add(new PlanMessage("KLN0103", $"GrpcServices '{item.GrpcServices}' of '{item.ItemSpec}' is not one of Both, Server, Client, None; Both is used.", full, IsError: false));
                    break;
            }

            var imports = new List<string>();
            foreach (var dir in Split(item.AdditionalImportDirs))
            {
                imports.Add(Full(projectDirectory, dir));
            }

            var fatalWarnings = false;
            foreach (var argument in Split(item.AdditionalProtocArguments))
            {
                if (TryValue(argument, "--proto_path=", out var path) || TryValue(argument, "-I", out path))
                {
                    imports.Add(Full(projectDirectory, path.StartsWith('=') ? path[1..] : path));
                }
                else if (TryValue(argument, "--csharp_opt=", out var option))
                {
                    csharpOptions.AddRange(SplitOptions(option));
                }
                else if (TryValue(argument, "--grpc_opt=", out option))
                {
                    grpcOptions.AddRange(SplitOptions(option));
                }
                else if (argument == "--fatal_warnings")
                {
                    fatalWarnings = true;
                }
                else if (argument is "--experimental_allow_proto3_optional" or "--experimental_editions" or "--include_source_info" or "--include_imports"
                    || argument.StartsWith("--error_format=", StringComparison.Ordinal))
                {
                    // Accepted and meaningless here: Kiln always allows proto3 optional and editions,
                    // and reports diagnostics to MSBuild in its own format.
                }
                else
                {
                    messages.Add(new PlanMessage("KLN0104", $"AdditionalProtocArguments of '{item.ItemSpec}': '{argument}' is not understood by Kiln.MSBuild and is ignored (understood: --proto_path=, -I, --csharp_opt=, --grpc_opt=, --fatal_warnings, --experimental_allow_proto3_optional).", full, IsError: false));
                }
            }

            if (standardImportsPath.Length > 0)
            {
                imports.Add(Full(projectDirectory, standardImportsPath));
            }

            imports.Add(root);
            string? grpcOut = null;
            if (grpc)
            {
                var grpcDir = item.GrpcOutputDir.Length == 0 ? outputDir : item.GrpcOutputDir;
                grpcOut = Full(projectDirectory, Path.Combine(grpcDir, relative));
            }

            var group = new ProtoGroup(
                root,
                Distinct(imports),
                csharpOut,
                JoinOptions(csharpOptions),
                grpcOut,
                grpc ? JoinOptions(grpcOptions) : null,
                item.CompileOutputs,
                fatalWarnings);
            if (!groups.TryGetValue(group.Key, out var existing))
            {
                groups[group.Key] = existing = group;
                result.Add(group);
            }

            existing.Add(full, item);

            if (messages.Count == messageCount)
            {
                known[memo] = existing;
                lastGroup = existing;
            }
        }

        return result;
    }

    /// <summary>True when two items have the same metadata (their files aside).</summary>
    private static bool SameMetadata(ProtoItem a, ProtoItem b) =>
        a.CompileOutputs == b.CompileOutputs
        && string.Equals(a.ProtoRoot, b.ProtoRoot, StringComparison.Ordinal)
        && string.Equals(a.OutputDir, b.OutputDir, StringComparison.Ordinal)
        && string.Equals(a.GrpcOutputDir, b.GrpcOutputDir, StringComparison.Ordinal)
        && string.Equals(a.GrpcServices, b.GrpcServices, StringComparison.Ordinal)
        && string.Equals(a.Access, b.Access, StringComparison.Ordinal)
        && string.Equals(a.AdditionalImportDirs, b.AdditionalImportDirs, StringComparison.Ordinal)
        && string.Equals(a.AdditionalProtocArguments, b.AdditionalProtocArguments, StringComparison.Ordinal)
        && string.Equals(a.OutputOptions, b.OutputOptions, StringComparison.Ordinal)
        && string.Equals(a.GrpcOutputOptions, b.GrpcOutputOptions, StringComparison.Ordinal);

    /// <summary>
    /// An item's <c>ProtoRoot</c> (<paramref name="protoRoot"/>, its metadata), guessed as
    /// Grpc.Tools guesses it when the item names none: the project folder (<c>.</c>) for a file
    /// inside it, otherwise <paramref name="defaultProtoRoot"/> (<c>$(Protobuf_ProtoRoot)</c>) or
    /// the file's own folder.
    /// </summary>
    internal static string ProtoRootOf(string itemSpec, string protoRoot, string projectDirectory, string defaultProtoRoot) =>
        ProtoRootOfFullPath(Full(projectDirectory, itemSpec), protoRoot, Full(projectDirectory, "."), defaultProtoRoot);

    /// <summary><see cref="ProtoRootOf(string, string, string, string)"/> of an item whose full path (<paramref name="full"/>) and project folder's (<paramref name="fullProjectDirectory"/>) are known.</summary>
    internal static string ProtoRootOfFullPath(string full, string protoRoot, string fullProjectDirectory, string defaultProtoRoot)
    {
        if (protoRoot.Length > 0)
        {
            return protoRoot;
        }

        if (GroupBuild.IsUnder(full, fullProjectDirectory))
        {
            return ".";
        }

        return defaultProtoRoot.Length > 0 ? defaultProtoRoot : Path.GetDirectoryName(full) ?? "";
    }

    /// <summary>
    /// The files Grpc.Tools expects from one item (what it adds to <c>Compile</c> before protoc has
    /// run): <c>Name.cs</c> with protoc's name rule and <c>NameGrpc.cs</c> with the gRPC plugin's.
    /// Used when a design-time build must not run the compiler.
    /// </summary>
    public static IEnumerable<string> ExpectedOutputs(ProtoGroup group, string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        yield return Path.Combine(group.CSharpOut, ProtocFileName(stem) + ".cs");
        if (group.GrpcOut is not null)
        {
            yield return Path.Combine(group.GrpcOut, GrpcFileName(stem) + "Grpc.cs");
        }
    }

    /// <summary>protoc's C# file name: ASCII letters and digits kept, a letter after anything that is not a letter upper-cased.</summary>
    internal static string ProtocFileName(string stem)
    {
        var result = new StringBuilder(stem.Length);
        var capital = true;
        foreach (var c in stem)
        {
            var upper = char.ToUpperInvariant(c);
            var letter = upper is >= 'A' and <= 'Z';
            if (letter || c is >= '0' and <= '9')
            {
                result.Append(capital ? upper : c);
            }

            capital = !letter;
        }

        return result.ToString();
    }

    /// <summary>grpc_csharp_plugin's file name: underscores dropped, the character after one (and the first) upper-cased.</summary>
    internal static string GrpcFileName(string stem)
    {
        var result = new StringBuilder(stem.Length);
        var capital = true;
        foreach (var c in stem)
        {
            if (c == '_')
            {
                capital = true;
            }
            else
            {
                result.Append(capital ? char.ToUpperInvariant(c) : c);
                capital = false;
            }
        }

        return result.ToString();
    }

    /// <summary>The file's folder relative to <paramref name="root"/> ("" when it is the root), or null when the root is not above it.</summary>
    internal static string? RelativeDirectory(string root, string file)
    {
        var directory = Path.GetDirectoryName(file) ?? "";
        var relative = Path.GetRelativePath(root, directory);
        if (relative == ".")
        {
            return "";
        }

        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : relative;
    }

    internal static string Full(string baseDirectory, string path) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(path.Replace('\\', Path.DirectorySeparatorChar), baseDirectory));

    internal static IEnumerable<string> Split(string list) =>
        list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> SplitOptions(string options) =>
        options.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string JoinOptions(List<string> options) => string.Join(',', options.Distinct(StringComparer.Ordinal));

    private static List<string> Distinct(List<string> paths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return paths.Where(seen.Add).ToList();
    }

    private static bool TryValue(string argument, string prefix, out string value)
    {
        if (argument.StartsWith(prefix, StringComparison.Ordinal) && argument.Length > prefix.Length)
        {
            value = argument[prefix.Length..];
            return true;
        }

        value = "";
        return false;
    }
}
