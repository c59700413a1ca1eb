using System.IO.Enumeration;
using System.Text.Json;
using Kiln.Text;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Kiln.Build.Workspace;

/// <summary>One generator's output folder and its option string (the <c>--X_opt</c> / <c>--gen netstd:</c> text).</summary>
public sealed record GeneratorConfig(string Out, string Options);

/// <summary>The <c>protobuf</c> section: which files, where imports are found, what to generate.</summary>
/// <param name="Files">
/// When set, the inputs are exactly these files (full paths) and the globs are not used: a host
/// that already knows its files (MSBuild items) neither lists folders nor matches patterns.
/// </param>
public sealed record ProtobufConfig(
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<string> ImportPaths,
    GeneratorConfig? CSharp,
    GeneratorConfig? Grpc,
    IReadOnlyList<string>? Files = null);

/// <summary>The <c>thrift</c> section: which files, where includes are found, what to generate.</summary>
/// <param name="Files">As <see cref="ProtobufConfig.Files"/>: the exact input files, globs unused.</param>
public sealed record ThriftConfig(
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<string> IncludePaths,
    GeneratorConfig? Netstd,
    IReadOnlyList<string>? Files = null);

/// <summary>
/// A workspace: the folder of <c>kiln.json</c> (every path in it is relative to that folder,
/// and is held here as a full path), its Protobuf and Thrift sections and the cache folder.
/// Without a <c>kiln.json</c>, <see cref="Defaults"/> compiles every <c>.proto</c> and
/// <c>.thrift</c> file under the folder into <c>gen/</c>. The format is documented in
/// <c>docs/kiln-json.md</c>, with a JSON schema beside it (<c>docs/kiln.schema.json</c>).
/// </summary>
public sealed record KilnConfig(string Root, string? File, ProtobufConfig? Protobuf, ThriftConfig? Thrift, string CacheDirectory, string StateFile)
{
    public const string FileName = "kiln.json";

    private string? _fingerprint;

    /// <summary>The settings as one string: part of every cache key and of the build state.</summary>
    public string Fingerprint => _fingerprint ??= string.Join('\n',
        Protobuf is { } p ? $"proto|{string.Join(';', p.ImportPaths)}|{p.CSharp}|{p.Grpc}" : "",
        Thrift is { } t ? $"thrift|{string.Join(';', t.IncludePaths)}|{t.Netstd}" : "");

    private static readonly JsonDocumentOptions s_json = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Loads <c>kiln.json</c> from <paramref name="directoryOrFile"/> (a folder holding one, or the
    /// file itself); a folder without one gets <see cref="Defaults"/>. Returns null with
    /// diagnostics (file, line, column) when the file is not valid.
    /// </summary>
    public static KilnConfig? Load(string directoryOrFile, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var full = Path.GetFullPath(directoryOrFile);
        string root, file;
        if (Directory.Exists(full))
        {
            root = full;
            file = Path.Combine(full, FileName);
            if (!System.IO.File.Exists(file))
            {
                diagnostics = [];
                return Defaults(root);
            }
        }
        else if (System.IO.File.Exists(full))
        {
            file = full;
            root = Path.GetDirectoryName(full)!;
        }
        else
        {
            diagnostics = [BuildDiagnostics.CannotRead.ForFile(directoryOrFile, directoryOrFile, "no such file or folder")];
            return null;
        }

        var text = System.IO.File.ReadAllText(file);
        var reader = new ConfigReader(new SourceText(WorkspaceBuilder.Display(file), text));
        var config = reader.Read(root, file);
        diagnostics = reader.Diagnostics;
        return reader.Diagnostics.Any(d => d.IsError) ? null : config;
    }

    /// <summary>No <c>kiln.json</c>: every <c>.proto</c> under the folder (which is also the import path) to <c>gen/protobuf</c>, every <c>.thrift</c> to <c>gen/thrift</c>.</summary>
    public static KilnConfig Defaults(string root)
    {
        root = Path.GetFullPath(root);
        return new KilnConfig(
            root,
            null,
            new ProtobufConfig(["**/*.proto"], [], [root], new GeneratorConfig(Path.Combine(root, "gen", "protobuf"), ""), new GeneratorConfig(Path.Combine(root, "gen", "protobuf"), "")),
            new ThriftConfig(["**/*.thrift"], [], [], new GeneratorConfig(Path.Combine(root, "gen", "thrift"), "")),
            Path.Combine(root, ".kiln", "cache"),
            Path.Combine(root, ".kiln", "state"));
    }

    /// <summary>The folders the generators write into (distinct; a folder may serve two generators).</summary>
    public IReadOnlyList<string> OutputFolders
    {
        get
        {
            var folders = new List<string>();
            foreach (var generator in new[] { Protobuf?.CSharp, Protobuf?.Grpc, Thrift?.Netstd })
            {
                if (generator is not null && !folders.Contains(generator.Out))
                {
                    folders.Add(generator.Out);
                }
            }

            return folders;
        }
    }

    /// <summary>The Protobuf inputs: the section's <see cref="ProtobufConfig.Files"/> when it names them, else what its globs select.</summary>
    public IReadOnlyList<string> SelectProtobuf(Dictionary<string, FileStamp>? listed = null) =>
        Protobuf is not { } p ? [] : p.Files is { } files ? Exactly(files) : Expand(p.Inputs, p.Exclude, listed);

    /// <summary>The Thrift inputs: the section's <see cref="ThriftConfig.Files"/> when it names them, else what its globs select.</summary>
    public IReadOnlyList<string> SelectThrift(Dictionary<string, FileStamp>? listed = null) =>
        Thrift is not { } t ? [] : t.Files is { } files ? Exactly(files) : Expand(t.Inputs, t.Exclude, listed);

    /// <summary>Files named one by one, in the order the globs give theirs: full paths, sorted, each once. The host checks they lie outside the output folders.</summary>
    private static List<string> Exactly(IReadOnlyList<string> files)
    {
        var sorted = new List<string>(files.Count);
        foreach (var file in files)
        {
            sorted.Add(Path.GetFullPath(file));
        }

        sorted.Sort(StringComparer.Ordinal);
        var write = 0;
        for (var read = 0; read < sorted.Count; read++)
        {
            if (write == 0 || sorted[read] != sorted[write - 1])
            {
                sorted[write++] = sorted[read];
            }
        }

        sorted.RemoveRange(write, sorted.Count - write);
        return sorted;
    }

    /// <summary>The files a section's globs select (full paths, sorted), never one inside an output or cache folder or the state file's folder.</summary>
    /// <param name="listed">
    /// When given, gets every folder listed, with its stamp taken before it was listed: while none
    /// of them changes (a file or folder added, removed or renamed in it), the globs select the
    /// same files. Left alone when the patterns leave the root (the matcher walks the disk then),
    /// so an empty result means no such guarantee.
    /// </param>
    public IReadOnlyList<string> Expand(IReadOnlyList<string> inputs, IReadOnlyList<string> exclude, Dictionary<string, FileStamp>? listed = null)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(inputs);
        matcher.AddExcludePatterns(exclude);
        // Kiln's own folders: what it writes there (outputs, cache entries, the state) is never an
        // input. The state's folder counts when it lies below the root (.kiln/ by default); saving
        // the state there would otherwise change a listed folder's stamp after every build.
        var skipped = new List<string>(OutputFolders) { CacheDirectory };
        if (Path.GetDirectoryName(StateFile) is { } stateFolder && stateFolder.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            skipped.Add(stateFolder);
        }
        var found = new List<string>();
        if (FoldersToList(inputs) is { } folders)
        {
            // The folders the patterns can reach, listed by name (no stat per file, output and cache
            // folders not entered), then matched in memory: a fraction of the matcher's own walk,
            // which stats every file it meets (2,222 inputs: 22 ms -> a few).
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (folder, depth) in folders)
            {
                ListFiles(folder, depth, skipped, names, listed);
            }

            foreach (var match in matcher.Match(Root, names).Files)
            {
                found.Add(Path.GetFullPath(Path.Combine(Root, match.Path)));
            }
        }
        else
        {
            foreach (var match in matcher.GetResultsInFullPath(Root))
            {
                found.Add(Path.GetFullPath(match));
            }
        }

        var files = new List<string>(found.Count);
        foreach (var path in found)
        {
            if (!skipped.Exists(folder => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                files.Add(path);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The folders (full paths) under which the include patterns can match, each with how deep below
    /// it a match can lie: the literal folders before a pattern's first wildcard. Null when a pattern
    /// leaves the root (rooted, or with <c>..</c>): then the matcher walks the disk itself.
    /// </summary>
    private List<(string Folder, int Depth)>? FoldersToList(IReadOnlyList<string> inputs)
    {
        var folders = new List<(string Folder, int Depth)>();
        foreach (var input in inputs)
        {
            var segments = input.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (Path.IsPathRooted(input) || Array.Exists(segments, s => s == ".."))
            {
                return null;
            }

            var literal = 0;
            while (literal < segments.Length - 1 && segments[literal].IndexOfAny(['*', '?', '[', '{']) < 0)
            {
                literal++;
            }

            var folder = Path.GetFullPath(Path.Combine([Root, .. segments[..literal].Where(s => s != ".")]));
            var depth = Array.Exists(segments, s => s.Contains("**", StringComparison.Ordinal)) ? int.MaxValue : segments.Length - literal - 1;
            var known = folders.FindIndex(f => f.Folder == folder);
            if (known >= 0)
            {
                folders[known] = (folder, Math.Max(depth, folders[known].Depth));
            }
            else
            {
                folders.Add((folder, depth));
            }
        }

        return folders;
    }

    /// <summary>
    /// Adds the files under <paramref name="folder"/> (full paths), down to <paramref name="depth"/>
    /// folders below it, entering no skipped folder; each folder entered goes to <paramref name="listed"/> with its stamp.
    /// </summary>
    private static void ListFiles(string folder, int depth, List<string> skipped, HashSet<string> files, Dictionary<string, FileStamp>? listed)
    {
        // A folder that does not exist yet is watched through its parent: its creation changes the parent's stamp.
        var watched = folder;
        while (!Directory.Exists(watched) && Path.GetDirectoryName(watched) is { } parent)
        {
            watched = parent;
        }

        if (listed is not null && FileStamp.OfFolder(watched) is { } first)
        {
            listed[watched] = first;
        }

        if (!Directory.Exists(folder) || skipped.Contains(folder))
        {
            return;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = depth > 0,
            MaxRecursionDepth = depth,
            AttributesToSkip = 0,
            IgnoreInaccessible = true,
        };
        var entries = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
            {
                var path = entry.ToFullPath();
                if (skipped.Contains(path))
                {
                    return false;
                }

                if (listed is not null && FileStamp.OfFolder(path) is { } stamp)
                {
                    listed[path] = stamp;
                }

                return true;
            },
        };
        foreach (var file in entries)
        {
            files.Add(file);
        }
    }

    /// <summary>The commented starter file <c>kiln init</c> writes.</summary>
    public const string StarterText = """
        // Kiln workspace: `kiln build` compiles it, `kiln watch` keeps it compiled.
        // Paths are relative to this file. Reference: docs/kiln-json.md in the Kiln repository.
        {
          "protobuf": {
            // Globs of the .proto files to compile ("exclude" takes globs too).
            "inputs": ["protos/**/*.proto"],
            // protoc's -I: imports are looked up here, and every input must lie under one of them.
            // The well-known types (google/protobuf/*.proto) are always importable.
            "importPaths": ["protos"],
            // protoc --csharp_out / --csharp_opt (file_extension=, base_namespace=, internal_access, serializable).
            "csharp": { "out": "gen/protobuf", "options": "" },
            // grpc_csharp_plugin --grpc_out / --grpc_opt (no_client, no_server, internal_access, file_suffix=, ...).
            // Remove this line for messages only.
            "grpc": { "out": "gen/protobuf", "options": "" }
          },
          "thrift": {
            "inputs": ["thrift/**/*.thrift"],
            // thrift's -I (an include is first looked up beside the including file).
            "includePaths": ["thrift"],
            // thrift --gen netstd:OPTIONS -out OUT (options: wcf, serial, union, pascal, net6, no_deepcopy, async_postfix).
            "netstd": { "out": "gen/thrift", "options": "" }
          },
          // Where compiled results are kept between builds; safe to delete.
          "cache": ".kiln/cache"
        }

        """;

    /// <summary>Reads the JSON with positions, so that every mistake is reported at its line and column.</summary>
    private sealed class ConfigReader(SourceText source)
    {
        private readonly List<Diagnostic> _diagnostics = [];

        public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

        public KilnConfig? Read(string root, string file)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(source.Text, s_json);
            }
            catch (JsonException e)
            {
                var line = (int)(e.LineNumber ?? 0) + 1;
                var column = (int)(e.BytePositionInLine ?? 0) + 1;
                _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, BuildDiagnostics.BadConfig.Code, FirstSentence(e.Message), source.Path, line, column));
                return null;
            }

            using (document)
            {
                var top = document.RootElement;
                if (top.ValueKind != JsonValueKind.Object)
                {
                    Error(top, "the file must hold one JSON object");
                    return null;
                }

                ProtobufConfig? protobuf = null;
                ThriftConfig? thrift = null;
                var cache = Path.Combine(root, ".kiln", "cache");
                foreach (var property in top.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "$schema":
                            break;
                        case "protobuf":
                            protobuf = ReadProtobuf(property.Value, root);
                            break;
                        case "thrift":
                            thrift = ReadThrift(property.Value, root);
                            break;
                        case "cache":
                            cache = Path.GetFullPath(Path.Combine(root, String(property.Value) ?? ".kiln/cache"));
                            break;
                        default:
                            Unknown(property, "\"protobuf\", \"thrift\", \"cache\"");
                            break;
                    }
                }

                if (protobuf is null && thrift is null && _diagnostics.Count == 0)
                {
                    Error(top, "nothing to build: add a \"protobuf\" or a \"thrift\" section");
                }

                var state = Path.Combine(Path.GetDirectoryName(cache)!, Path.GetFileName(cache) + ".state");
                return new KilnConfig(root, file, protobuf, thrift, cache, state);
            }
        }

        private ProtobufConfig? ReadProtobuf(JsonElement element, string root)
        {
            if (!IsObject(element, "protobuf"))
            {
                return null;
            }

            IReadOnlyList<string> inputs = ["**/*.proto"], exclude = [], importPaths = [root];
            GeneratorConfig? csharp = null, grpc = null;
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "inputs":
                        inputs = Strings(property.Value);
                        break;
                    case "exclude":
                        exclude = Strings(property.Value);
                        break;
                    case "importPaths":
                        importPaths = Folders(property.Value, root);
                        break;
                    case "csharp":
                        csharp = Generator(property.Value, root);
                        break;
                    case "grpc":
                        grpc = Generator(property.Value, root);
                        break;
                    default:
                        Unknown(property, "\"inputs\", \"exclude\", \"importPaths\", \"csharp\", \"grpc\"");
                        break;
                }
            }

            return new ProtobufConfig(inputs, exclude, importPaths, csharp, grpc);
        }

        private ThriftConfig? ReadThrift(JsonElement element, string root)
        {
            if (!IsObject(element, "thrift"))
            {
                return null;
            }

            IReadOnlyList<string> inputs = ["**/*.thrift"], exclude = [], includePaths = [];
            GeneratorConfig? netstd = null;
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "inputs":
                        inputs = Strings(property.Value);
                        break;
                    case "exclude":
                        exclude = Strings(property.Value);
                        break;
                    case "includePaths":
                        includePaths = Folders(property.Value, root);
                        break;
                    case "netstd":
                        netstd = Generator(property.Value, root);
                        break;
                    default:
                        Unknown(property, "\"inputs\", \"exclude\", \"includePaths\", \"netstd\"");
                        break;
                }
            }

            return new ThriftConfig(inputs, exclude, includePaths, netstd);
        }

        private GeneratorConfig? Generator(JsonElement element, string root)
        {
            if (!IsObject(element, "a generator"))
            {
                return null;
            }

            string? output = null;
            var options = "";
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "out":
                        output = String(property.Value);
                        break;
                    case "options":
                        options = String(property.Value) ?? "";
                        break;
                    default:
                        Unknown(property, "\"out\", \"options\"");
                        break;
                }
            }

            if (output is null)
            {
                Error(element, "a generator needs \"out\": the folder its files are written to");
                return null;
            }

            return new GeneratorConfig(Path.GetFullPath(Path.Combine(root, output)), options);
        }

        private bool IsObject(JsonElement element, string what)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Error(element, $"{what} must be a JSON object");
            return false;
        }

        private string? String(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                return element.GetString();
            }

            Error(element, "expected a string");
            return null;
        }

        /// <summary>Folder names relative to the workspace, as full paths.</summary>
        private List<string> Folders(JsonElement element, string root) =>
            Strings(element).ConvertAll(p => Path.GetFullPath(Path.Combine(root, p)));

        private List<string> Strings(JsonElement element)
        {
            var list = new List<string>();
            if (element.ValueKind == JsonValueKind.String)
            {
                list.Add(element.GetString()!);
                return list;
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                Error(element, "expected an array of strings");
                return list;
            }

            foreach (var item in element.EnumerateArray())
            {
                if (String(item) is { } text)
                {
                    list.Add(text);
                }
            }

            return list;
        }

        private void Unknown(JsonProperty property, string known) =>
            Error(property.Value, $"unknown setting \"{property.Name}\" (known here: {known})");

        /// <summary>
        /// An error at <paramref name="element"/>. <see cref="JsonElement"/> does not expose its
        /// offset, so the element's raw text is found in the source, searching from the previous report.
        /// </summary>
        private void Error(JsonElement element, string message)
        {
            var raw = element.GetRawText();
            var offset = source.Text.IndexOf(raw, _searchFrom, StringComparison.Ordinal);
            if (offset < 0)
            {
                offset = Math.Max(0, source.Text.IndexOf(raw, StringComparison.Ordinal));
            }
            else
            {
                _searchFrom = offset;
            }

            _diagnostics.Add(BuildDiagnostics.BadConfig.At(source, offset, message));
        }

        private int _searchFrom;

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return cut > 0 ? message[..cut].TrimEnd('.', ' ') : message;
        }
    }
}
