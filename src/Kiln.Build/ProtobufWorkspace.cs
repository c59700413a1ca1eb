using System.Collections.Concurrent;
using Kiln.Engine;
using Kiln.Protobuf;
using Kiln.Text;

namespace Kiln.Build;

/// <summary>The text of one <c>.proto</c> file by virtual path: where it was found on disk, or that it was not.</summary>
/// <param name="VirtualPath">protoc's name of the file (relative to its <c>-I</c> folder).</param>
/// <param name="DiskPath">The file as protoc names it in messages, or null when no <c>-I</c> folder has it.</param>
public sealed record ProtoSource(string VirtualPath, string? DiskPath, string? Text, string? Error);

/// <summary>Where one import of one file leads: found (by virtual path), not found, or back into a cycle.</summary>
/// <param name="Cycle">When the import closes a cycle: the cycle as protoc prints it (<c>a.proto -> b.proto -> a.proto</c>).</param>
public sealed record ProtoImportResolution(bool Found, string? Cycle);

/// <summary>
/// What files importing one file read of it: the linked file, and a hash of its descriptor without
/// source info. Equal by the hash alone, so an edit that changes only comments or layout of a
/// file gives an equal value, and the files importing it are not linked again (early cutoff).
/// </summary>
public sealed class ProtoExports(LinkedProtoFile file, Hash128 hash) : IEquatable<ProtoExports>
{
    public LinkedProtoFile File { get; } = file;

    public Hash128 Hash { get; } = hash;

    public bool Equals(ProtoExports? other) => other is not null && other.Hash == Hash;

    public override bool Equals(object? obj) => Equals(obj as ProtoExports);

    public override int GetHashCode() => Hash.GetHashCode();
}

/// <summary>
/// The Protobuf pipeline as engine queries over one database: <c>parse(file)</c> reads the file's
/// text; <c>link(file)</c> reads <c>parse(file)</c> and <c>link</c> of each import. Files are keyed
/// by virtual path (protoc's rule: an import names a virtual path, found in the first <c>-I</c>
/// folder that has it). The driver (<see cref="Load"/>) reads each file once, in parallel waves,
/// and sets the text and the import resolutions as inputs; the queries never touch the disk.
/// </summary>
public sealed class ProtobufWorkspace
{
    private readonly Input<string, ProtoSource> _sources;
    private readonly Input<ImportKey, ProtoImportResolution> _imports;
    private readonly ConcurrentDictionary<string, List<string>> _edges = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _lastRoots;

    /// <param name="log">Told <c>parse(path)</c> / <c>link(path)</c> each time a query body runs (tests assert it).</param>
    /// <param name="firewall">
    /// Whether <c>link</c> reads its imports through <c>exports</c> (a long-lived workspace that is
    /// edited: <c>kiln build</c> and <c>kiln watch</c>), or their <c>link</c> directly (one run: hashing
    /// every descriptor would be waste).
    /// </param>
    public ProtobufWorkspace(ProtocSourceTree sourceTree, LinkOptions linkOptions, Action<string>? log = null, bool firewall = false)
    {
        SourceTree = sourceTree ?? throw new ArgumentNullException(nameof(sourceTree));
        LinkOptions = linkOptions ?? throw new ArgumentNullException(nameof(linkOptions));
        Database = new Database();
        _sources = Database.Input<string, ProtoSource>("protoSource");
        _imports = Database.Input<ImportKey, ProtoImportResolution>("protoImport");
        Parse = Database.Query<string, ParsedProtoFile>("parseProto", (ctx, path) =>
        {
            log?.Invoke($"parse({path})");
            var source = ctx.Get(_sources, path);
            // Source info only when linking will use it: it is most of a parsed file's memory.
            return ProtoParser.Parse(new SourceText(path, source.Text ?? ""), LinkOptions);
        });
        Link = Database.Query<string, LinkedProtoFile>("linkProto", (ctx, path) =>
        {
            log?.Invoke($"link({path})");
            var parsed = ctx.Get(Parse, path);
            var dependencies = new List<LinkedProtoFile?>(parsed.Imports.Count + parsed.OptionImports.Count);
            if (!parsed.HasErrors)
            {
                foreach (var import in parsed.Imports.Concat(parsed.OptionImports))
                {
                    var resolution = ctx.Get(_imports, new ImportKey(path, import));
                    dependencies.Add(!resolution.Found || resolution.Cycle is not null ? null
                        : firewall ? ctx.Get(Exports!, import).File : ctx.Get(Link!, import));
                }
            }

            return ProtoLinker.Link(parsed, dependencies, LinkOptions);
        });
        Exports = Database.Query<string, ProtoExports>("protoExports", (ctx, path) =>
        {
            var linked = ctx.Get(Link, path);
            return new ProtoExports(linked, Hash128.Of(linked.ToByteArray(includeSourceInfo: false)));
        });
    }

    /// <summary>A file's <see cref="ProtoExports"/>: what importing files read (see the constructor's <c>firewall</c>).</summary>
    public Query<string, ProtoExports> Exports { get; }

    public Database Database { get; }

    public ProtocSourceTree SourceTree { get; }

    public LinkOptions LinkOptions { get; }

    public Query<string, ParsedProtoFile> Parse { get; }

    public Query<string, LinkedProtoFile> Link { get; }

    /// <summary>Every file loaded so far (virtual paths), roots and imports, found or not.</summary>
    public IReadOnlyCollection<string> Files => (IReadOnlyCollection<string>)_edges.Keys;

    /// <summary>
    /// The imports of a loaded file as <see cref="Load"/> followed them (first occurrences, in order;
    /// none when the file was missing or did not parse cleanly), without fetching <c>parse</c> again.
    /// </summary>
    public IReadOnlyList<string> ImportsOf(string virtualPath) => _edges.TryGetValue(virtualPath, out var edges) ? edges : [];

    /// <summary>The source of a loaded file.</summary>
    public ProtoSource SourceOf(string virtualPath) => _sources.Get(Database, virtualPath);

    /// <summary>
    /// Reads the roots (virtual paths) and, wave by wave, everything they import; each wave is read
    /// and parsed in parallel. Files of a wave that do not parse cleanly are not followed, as protoc
    /// does. Import cycles are marked (see <see cref="Cycles"/>) so <c>link</c> never waits on itself.
    /// </summary>
    public void Load(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _edges.Clear();
        _lastRoots = roots;
        LoadWaves(roots.Distinct(StringComparer.Ordinal).ToList());
        SetImportResolutions(roots);
    }

    /// <summary>Reads and parses <paramref name="frontier"/>, then wave by wave each import not loaded yet.</summary>
    private void LoadWaves(List<string> frontier)
    {
        while (frontier.Count > 0)
        {
            var read = new ProtoSource[frontier.Count];
            ForEach(frontier.Count, i => read[i] = ReadSource(frontier[i]));
            for (var i = 0; i < frontier.Count; i++)
            {
                _sources.Set(frontier[i], read[i]);
                _edges[frontier[i]] = [];
            }

            var next = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            ForEach(frontier.Count, i =>
            {
                var path = frontier[i];
                if (read[i].Text is null)
                {
                    return;
                }

                var parsed = Parse.Get(Database, path);
                if (parsed.HasErrors)
                {
                    return;
                }

                var edges = _edges[path];
                foreach (var import in parsed.Imports.Concat(parsed.OptionImports))
                {
                    if (!edges.Contains(import))
                    {
                        edges.Add(import);
                        if (!_edges.ContainsKey(import))
                        {
                            next.TryAdd(import, 0);
                        }
                    }
                }
            });
            frontier = [.. next.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// <paramref name="body"/> for 0 to <paramref name="count"/> - 1, on all cores when there are
    /// enough: the waves of an edit's imports are mostly one or two files each (a chain), where a
    /// parallel loop costs more than the file.
    /// </summary>
    private static void ForEach(int count, Action<int> body)
    {
        if (count > 2)
        {
            Parallel.For(0, count, body);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            body(i);
        }
    }

    /// <summary>
    /// After a <see cref="Load"/>: reads <paramref name="changed"/> (virtual paths) again and loads
    /// whatever they now import, then re-resolves imports from <paramref name="roots"/>. Files not
    /// named are not read, so an edit costs the edited file, not the workspace.
    /// </summary>
    public void Update(IReadOnlyCollection<string> changed, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(roots);
        var frontier = changed.Distinct(StringComparer.Ordinal).ToList();
        foreach (var root in roots)
        {
            if (!_edges.ContainsKey(root) && !frontier.Contains(root))
            {
                frontier.Add(root);
            }
        }

        // The usual edit changes a file's text but not what it imports: then the import graph,
        // and every resolution and cycle in it, is what it was, and walking it again is waste.
        var before = new List<(string Path, string[] Edges, bool Found)>(frontier.Count);
        var sameGraph = ReferenceEquals(roots, _lastRoots);
        foreach (var path in frontier)
        {
            if (!_edges.TryGetValue(path, out var edges))
            {
                sameGraph = false;
                break;
            }

            before.Add((path, [.. edges], SourceOf(path).Text is not null));
        }

        var fileCount = _edges.Count;
        LoadWaves(frontier);

        if (sameGraph && _edges.Count == fileCount && before.TrueForAll(b =>
                _edges[b.Path].SequenceEqual(b.Edges, StringComparer.Ordinal) && (SourceOf(b.Path).Text is not null) == b.Found))
        {
            return;
        }

        _lastRoots = roots;

        // Files no root reaches any more (a deleted input, an import removed) leave the workspace.
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var path = stack.Pop();
            if (reached.Add(path) && _edges.TryGetValue(path, out var edges))
            {
                foreach (var import in edges)
                {
                    stack.Push(import);
                }
            }
        }

        foreach (var path in _edges.Keys)
        {
            if (!reached.Contains(path))
            {
                _edges.TryRemove(path, out _);
            }
        }

        SetImportResolutions(roots);
    }

    /// <summary>Links every loaded file that was found, in parallel; each link reads its imports' links.</summary>
    public void LinkAll() => Parallel.ForEach(_edges.Keys, path =>
    {
        if (SourceOf(path).Text is not null)
        {
            Link.Get(Database, path);
        }
    });

    /// <summary>Import cycles found by the last <see cref="Load"/>: the importing file and the cycle, as protoc prints it.</summary>
    public IReadOnlyList<(string File, string Import, string Cycle)> Cycles { get; private set; } = [];

    /// <summary>Diagnostics about files as a whole: imported files not found, import cycles (protoc's wording).</summary>
    public IReadOnlyList<Diagnostic> FileDiagnostics()
    {
        var list = new List<Diagnostic>();
        foreach (var path in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (SourceOf(path) is { Text: null } missing)
            {
                list.Add(ProtobufDiagnostics.FileNotFound.ForFile(path, missing.Error ?? path));
            }
        }

        foreach (var (file, _, cycle) in Cycles)
        {
            list.Add(ProtobufDiagnostics.ImportCycle.ForFile(file, cycle));
        }

        return list;
    }

    private ProtoSource ReadSource(string virtualPath)
    {
        var disk = SourceTree.VirtualFileToDiskFile(virtualPath);
        if (disk is null)
        {
            return new ProtoSource(virtualPath, null, null, virtualPath);
        }

        try
        {
            return new ProtoSource(virtualPath, disk, TextFile.ReadAllText(disk), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ProtoSource(virtualPath, disk, null, $"{disk}: {e.Message}");
        }
    }

    /// <summary>
    /// Sets the import inputs: a depth-first walk from the roots marks each import that leads back
    /// into a file still being walked as a cycle, so the import graph the queries see is acyclic.
    /// </summary>
    private void SetImportResolutions(IReadOnlyList<string> roots)
    {
        var cycles = new List<(string, string, string)>();
        IReadOnlyList<string> EdgesOf(string path) => _edges.TryGetValue(path, out var edges) ? edges : [];
        GraphWalk.FindCycles(
            roots.Concat(_edges.Keys.Order(StringComparer.Ordinal)),
            path => EdgesOf(path).Count,
            (path, index) => EdgesOf(path)[index],
            (path, index, cyclePath) =>
            {
                var import = EdgesOf(path)[index];
                var found = SourceOf(import).Text is not null;
                string? cycle = null;
                if (cyclePath is not null)
                {
                    cycle = string.Join(" -> ", cyclePath);
                    cycles.Add((path, import, cycle));
                }

                _imports.Set(new ImportKey(path, import), new ProtoImportResolution(found, cycle));
            });
        Cycles = cycles;
    }
}
