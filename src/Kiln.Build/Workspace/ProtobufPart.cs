using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Kiln.CSharp.Protobuf;
using Kiln.CSharp.Protobuf.Grpc;
using Kiln.Protobuf;
using Kiln.Text;

namespace Kiln.Build.Workspace;

public sealed partial class WorkspaceBuilder
{
    /// <summary>
    /// The Protobuf half of a workspace: a <see cref="ProtobufWorkspace"/> with the exports
    /// firewall (an edit that changes only comments of a file links none of its importers again),
    /// one <see cref="ProtoTypeIndex"/> that is patched file by file as links change, and
    /// protoc's C# and grpc_csharp_plugin's generators run per input.
    /// </summary>
    private sealed class ProtobufPart
    {
        [ThreadStatic]
        private static CharBuffer? t_text;

        private readonly WorkspaceBuilder _owner;
        private readonly ProtobufConfig _config;
        private readonly ProtocSourceTree _tree;
        private readonly ProtobufWorkspace _workspace;
        private readonly Dictionary<string, Generated> _generated = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LinkedProtoFile> _indexed = new(StringComparer.Ordinal);

        /// <summary>Files whose link differs from the one in the index, found by the check of each build.</summary>
        private readonly List<LinkedProtoFile> _toIndex = [];
        private readonly object _indexLock = new();
        private readonly Dictionary<string, TextHash> _textHashes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _displays = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _fullPaths = new(StringComparer.Ordinal);
        private IReadOnlyList<string>? _mappedRoots;
        private List<Diagnostic> _mappingDiagnostics = [];
        private List<string> _virtualRoots = [];
        private Dictionary<string, string> _diskOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ProtoExports> _lastExports = new(StringComparer.Ordinal);
        private readonly Dictionary<string, FileFacts> _fileFacts = new(StringComparer.Ordinal);
        private Dictionary<string, List<Diagnostic>>? _lastConflicts;
        private RunNameIndex? _names;
        private ProtoTypeIndex? _index;
        private bool _indexStale = true;
        private bool _loaded;

        public ProtobufPart(WorkspaceBuilder owner, ProtobufConfig config)
        {
            _owner = owner;
            _config = config;
            _tree = new ProtocSourceTree(config.ImportPaths);
            _workspace = new ProtobufWorkspace(_tree, new LinkOptions { IncludeSourceInfo = true, CommentsOnly = true }, firewall: true);
        }

        public IReadOnlyList<Kiln.Engine.QueryStatistics> Statistics => _workspace.Database.GetStatistics();

        /// <summary>The import graph of the last build, for the build state (empty after a build that stopped early).</summary>
        public IReadOnlyList<ProtoGraphFile> Graph { get; private set; } = [];

        /// <summary>A file's text and its hash (a class: see <see cref="ImportClosure"/>).</summary>
        private sealed record TextHash(string Text, Hash128 Hash);

        /// <summary>
        /// Each loaded file's Merkle hash of its exports and, recursively, its imports' (the zero hash
        /// for a file not in it). Not a dictionary of <see cref="Hash128"/>: the framework's
        /// dictionary over a struct of ours is compiled by the JIT in every new process (an MSBuild
        /// build's), about 20 methods; over <c>int</c> it runs precompiled code.
        /// </summary>
        private sealed class ImportClosure(int capacity)
        {
            private readonly Dictionary<string, int> _index = new(capacity, StringComparer.Ordinal);
            private readonly Hash128[] _hashes = new Hash128[capacity];

            public Hash128 this[string path]
            {
                get => _index.TryGetValue(path, out var at) ? _hashes[at] : default;
                set
                {
                    if (!_index.TryGetValue(path, out var at))
                    {
                        at = _index.Count;
                        _index.Add(path, at);
                    }

                    _hashes[at] = value;
                }
            }

            public bool Contains(string path) => _index.ContainsKey(path);
        }

        /// <summary>What the check of a build found about one linked file, made again only when its link, conflicts or root-ness change.</summary>
        private sealed record FileFacts(LinkedProtoFile File, List<Diagnostic>? Conflicts, bool IsRoot, List<Diagnostic> Diagnostics, int Definitions, ProtoGraphFile Entry);

        /// <summary>
        /// A build in a new process that reads only what an edit can have changed: the changed
        /// files, everything they import, and (when a changed file's exports differ from the last
        /// build's) every file importing it, directly or not. The rest keeps its outputs and replays
        /// its diagnostics from the build state.
        /// </summary>
        private sealed record PartialLoad(StateDelta Delta, Dictionary<string, ProtoGraphFile> Graph, List<string> Changed, List<string> Roots);

        public void Build(
            BuildReport report,
            IReadOnlyList<string> roots,
            IReadOnlyCollection<string>? changed,
            ConcurrentDictionary<string, OutputRecord> produced,
            ConcurrentDictionary<string, byte> keep,
            ConcurrentDictionary<string, FileStamp> stamps,
            StateDelta? delta)
        {
            Graph = [];
            var diagnostics = new List<Diagnostic>();
            string? csError = null, grError = null;
            var csharpOptions = _config.CSharp is { } cs ? CSharpOptions.Parse(cs.Options, out csError) : null;
            var grpcOptions = _config.Grpc is { } gr ? GrpcOptions.Parse(gr.Options, out grError) : null;
            if ((_config.CSharp is not null && csharpOptions is null) || (_config.Grpc is not null && grpcOptions is null))
            {
                var setting = csharpOptions is null && _config.CSharp is not null ? $"protobuf.csharp.options: {csError}" : $"protobuf.grpc.options: {grError}";
                report.Diagnostics.Add(BuildDiagnostics.BadConfig.ForFile(_owner._config.File ?? "", setting));
                report.UsageError = true;
                return;
            }

            // Inputs by virtual path (protoc's names); each must lie under an import path. The
            // mapping is kept while the inputs are the same list (watch mode, no file added or removed).
            var load = Begin();
            if (ReferenceEquals(roots, _mappedRoots))
            {
                diagnostics.AddRange(_mappingDiagnostics);
            }
            else
            {
                MapRoots(roots, stamps, diagnostics);
            }

            var virtualRoots = _virtualRoots;
            var diskOf = _diskOf;
            var mappingCount = diagnostics.Count;
            End(report, load, "protobuf: map inputs", "phase");
            load = Begin();

            // A one-shot build in a new process reads only what the changes reach; _loaded stays
            // false, so a later build of this builder loads the whole workspace.
            var partial = delta is not null && !_loaded && !_owner.LongLived ? LoadPartially(delta, virtualRoots, diskOf) : null;
            if (partial is null && (!_loaded || changed is null))
            {
                _workspace.Load(virtualRoots);
                _loaded = true;
            }
            else if (partial is null)
            {
                _workspace.Update(ChangedFiles(changed!), virtualRoots);
            }

            report.FilesLoaded += _workspace.Files.Count;
            End(report, load, "protobuf: read and parse", "phase");

            var link = Begin();
            var order = ProtocRun.PostOrder(_workspace, partial?.Roots ?? virtualRoots);
            if (changed is null || changed.Count > 8)
            {
                // Link everything on all cores; after a small edit the few files to link again are
                // linked by the check below, and a parallel pass over every file would cost more.
                Parallel.ForEach(order, path => _workspace.Exports.Get(_workspace.Database, path));
            }

            if (partial is not null && !PartialHolds(partial, order))
            {
                // Something a partial build cannot judge alone (an error, a new file, a name that may
                // now clash with a file not loaded): load and check the whole workspace after all.
                partial = null;
                diagnostics.RemoveRange(mappingCount, diagnostics.Count - mappingCount);
                report.FilesLoaded -= _workspace.Files.Count;
                _workspace.Load(virtualRoots);
                report.FilesLoaded += _workspace.Files.Count;
                _loaded = true;
                order = ProtocRun.PostOrder(_workspace, virtualRoots);
                Parallel.ForEach(order, path => _workspace.Exports.Get(_workspace.Database, path));
            }

            // Once every file is linked, a parse is needed again only when its file changes (and is
            // then parsed anew): parses are about half of what the workspace holds, so they go.
            _workspace.Parse.EvictValues();
            End(report, link, "protobuf: link", "phase");

            // Diagnostics as protoc reports them: whole-file problems, then file by file, imports first.
            var check = Begin();
            var rootSet = new HashSet<string>(virtualRoots, StringComparer.Ordinal);
            foreach (var d in _workspace.FileDiagnostics())
            {
                diagnostics.Add(d);
            }

            var linked = new List<LinkedProtoFile>(order.Count);
            var exportsChanged = order.Count != _lastExports.Count;
            if (exportsChanged)
            {
                _lastExports.Clear();
            }

            var sameFiles = !exportsChanged;
            _toIndex.Clear(); // found again below while they are not in the index
            var changedExports = new List<LinkedProtoFile>();
            foreach (var path in order)
            {
                var file = _workspace.Link.Get(_workspace.Database, path);
                linked.Add(file);
                if (!_indexed.TryGetValue(path, out var indexed) || !ReferenceEquals(indexed, file))
                {
                    _toIndex.Add(file);
                }

                var exports = _workspace.Exports.Get(_workspace.Database, path);
                if (!_lastExports.TryGetValue(path, out var last) || !ReferenceEquals(last, exports))
                {
                    exportsChanged = true;
                    changedExports.Add(file);
                }

                _lastExports[path] = exports;
            }

            // Names clashing across unrelated files can only appear or go when some file's exports
            // (which hold every name it defines) changed; a comment edit keeps the last answer. In a
            // long-lived workspace with no conflict, the name index answers whether the changed
            // files now define a name some other file defines; only then does the full pass run.
            if (partial is not null)
            {
                // The last build had no conflict and no loaded file's clashable names changed
                // (PartialHolds), so there is none now; the next full build looks again.
                _lastConflicts = [];
                _names = null;
            }
            else if (exportsChanged || _lastConflicts is null)
            {
                if (_names is not null && sameFiles && _lastConflicts is { Count: 0 })
                {
                    foreach (var file in changedExports)
                    {
                        _names.Replace(file);
                    }

                    _lastConflicts = _names.MayConflict ? RunConflicts.Find(linked, p => _workspace.Parse.Get(_workspace.Database, p)) : [];
                }
                else
                {
                    _lastConflicts = RunConflicts.Find(linked, p => _workspace.Parse.Get(_workspace.Database, p));
                    _names = _owner.LongLived ? new RunNameIndex(linked) : null;
                }
            }

            var graph = new List<ProtoGraphFile>(partial?.Graph.Count ?? linked.Count);
            foreach (var file in linked)
            {
                var isRoot = rootSet.Contains(file.Path);
                var fileConflicts = _lastConflicts.GetValueOrDefault(file.Path);
                if (!_fileFacts.TryGetValue(file.Path, out var known) || !ReferenceEquals(known.File, file)
                    || !ReferenceEquals(known.Conflicts, fileConflicts) || known.IsRoot != isRoot)
                {
                    var source = _workspace.SourceOf(file.Path);
                    var display = DisplayOf(file.Path, source);
                    var list = new List<Diagnostic>();
                    foreach (var d in file.Diagnostics.Concat(fileConflicts ?? []).Concat(isRoot ? file.UnusedImportWarnings : []))
                    {
                        list.Add(d with { Path = display });
                    }

                    var descriptor = file.Descriptor;
                    var definitions = descriptor.MessageType.Count + descriptor.EnumType.Count + descriptor.Service.Count + descriptor.Extension.Count;
                    var entry = known is not null && ReferenceEquals(known.File, file) ? known.Entry : new ProtoGraphFile(
                        file.Path,
                        source.DiskPath is { } disk ? FullPathOf(disk) : null,
                        [.. _workspace.ImportsOf(file.Path)],
                        _workspace.Exports.Get(_workspace.Database, file.Path).Hash,
                        NamesHashOf(file),
                        definitions);
                    _fileFacts[file.Path] = known = new FileFacts(file, fileConflicts, isRoot, list, definitions, entry);
                }

                graph.Add(known.Entry);

                diagnostics.AddRange(known.Diagnostics);
                if (isRoot)
                {
                    report.Definitions += known.Definitions;
                }
                else if (_workspace.SourceOf(file.Path).DiskPath is { } diskPath)
                {
                    var full = FullPathOf(diskPath);
                    if (!stamps.ContainsKey(full))
                    {
                        stamps[full] = FileStamp.Of(full) ?? FileStamp.Missing;
                    }
                }
            }

            if (partial is not null)
            {
                ReplayUnloaded(report, partial, rootSet, graph, diagnostics, stamps);
            }

            Graph = graph;
            report.Diagnostics.AddRange(diagnostics);
            End(report, check, "protobuf: check", "phase");
            if (diagnostics.Exists(d => d.IsError))
            {
                // protoc generates nothing when a file has errors; the last good outputs stay.
                foreach (var root in roots)
                {
                    keep.TryAdd(root, 0);
                }

                return;
            }

            // Cache keys: the file's text, and for each import a hash of the import's exports and,
            // recursively, its imports' (a Merkle hash of everything the generator can read).
            var closure = new ImportClosure(order.Count);
            foreach (var path in order)
            {
                var key = new KeyBuilder().Add(_workspace.Exports.Get(_workspace.Database, path).Hash);
                foreach (var import in _workspace.ImportsOf(path))
                {
                    key.Add(import).Add(closure[import]);
                }

                closure[path] = key.Key;
            }

            _indexStale = true;
            var generate = Begin();
            var toGenerate = virtualRoots;
            if (partial is not null)
            {
                toGenerate = [.. virtualRoots.Where(closure.Contains)];
                var unloaded = new HashSet<string>(virtualRoots.Count, StringComparer.Ordinal);
                foreach (var root in virtualRoots)
                {
                    if (!closure.Contains(root))
                    {
                        unloaded.Add(diskOf[root]);
                    }
                }

                KeepOutputsOf(report, partial.Delta.Previous, unloaded, produced);
            }

            var items = new GenerationItem[toGenerate.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = new GenerationItem(toGenerate[i], diskOf[toGenerate[i]], Priority(diskOf[toGenerate[i]], _workspace.SourceOf(toGenerate[i]).Text, changed));
            }

            _owner.GenerateAll(
                report,
                items,
                _generated,
                unchanged: _ => false,
                keyOf: i => KeyOf(toGenerate[i], closure),
                prepare: () => EnsureIndex(),
                generate: (i, list) => Generate(toGenerate[i], csharpOptions, grpcOptions, list),
                produced,
                keep);
            End(report, generate, "protobuf: generate and write", "phase");
        }

        /// <summary>The loaded files (virtual paths) among <paramref name="changed"/> (full paths), and those missing before that are found now.</summary>
        private List<string> ChangedFiles(IReadOnlyCollection<string> changed)
        {
            var changedVirtual = new List<string>();
            var changedSet = new HashSet<string>(changed, StringComparer.Ordinal);
            foreach (var file in _workspace.Files)
            {
                if (_workspace.SourceOf(file).DiskPath is { } disk && changedSet.Contains(FullPathOf(disk)))
                {
                    changedVirtual.Add(file);
                }
                else if (_workspace.SourceOf(file).DiskPath is null && _tree.VirtualFileToDiskFile(file) is not null)
                {
                    changedVirtual.Add(file); // was missing, now found
                }
            }

            return changedVirtual;
        }

        /// <summary>
        /// Starts a partial build (see <see cref="PartialLoad"/>): loads the changed files, links them
        /// and compares their exports with the last build's, then loads their importers if needed.
        /// Null when the build state cannot vouch for the files not loaded (no graph, a root it does
        /// not know, a changed file missing) or so much changed that a full build costs no more.
        /// </summary>
        private PartialLoad? LoadPartially(StateDelta delta, IReadOnlyList<string> virtualRoots, Dictionary<string, string> diskOf)
        {
            var files = delta.Previous.ProtoGraph;
            if (files.Count == 0)
            {
                return null;
            }

            var graph = new Dictionary<string, ProtoGraphFile>(files.Count, StringComparer.Ordinal);
            var byDisk = new Dictionary<string, string>(files.Count, StringComparer.Ordinal);
            foreach (var file in files)
            {
                graph[file.VirtualPath] = file;
                if (file.DiskPath is { } disk)
                {
                    byDisk[disk] = file.VirtualPath;
                }
            }

            foreach (var root in virtualRoots)
            {
                if (!graph.TryGetValue(root, out var known) || known.DiskPath != diskOf[root])
                {
                    return null;
                }
            }

            var changed = new List<string>();
            foreach (var path in delta.Changed)
            {
                if (byDisk.TryGetValue(path, out var virtualPath))
                {
                    changed.Add(virtualPath);
                }
            }

            if (changed.Count * 2 > files.Count)
            {
                return null;
            }

            changed.Sort(StringComparer.Ordinal);
            _workspace.Load(changed);
            var exportsChanged = new Stack<string>();
            foreach (var path in changed)
            {
                if (_workspace.SourceOf(path).Text is null)
                {
                    return null;
                }

                if (_workspace.Exports.Get(_workspace.Database, path).Hash != graph[path].ExportsHash)
                {
                    exportsChanged.Push(path);
                }
            }

            var roots = new HashSet<string>(changed, StringComparer.Ordinal);
            if (exportsChanged.Count > 0 && AnyImports(files, exportsChanged))
            {
                var importers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    foreach (var import in file.Imports)
                    {
                        if (!importers.TryGetValue(import, out var list))
                        {
                            importers[import] = list = [];
                        }

                        list.Add(file.VirtualPath);
                    }
                }

                while (exportsChanged.TryPop(out var path))
                {
                    foreach (var importer in importers.GetValueOrDefault(path) ?? [])
                    {
                        if (roots.Add(importer))
                        {
                            exportsChanged.Push(importer);
                        }
                    }
                }
            }

            var rootList = roots.Order(StringComparer.Ordinal).ToList();
            if (roots.Count > changed.Count)
            {
                _workspace.Update([], rootList);
            }

            return new PartialLoad(delta, graph, changed, rootList);
        }

        /// <summary>
        /// True when some file of the last build imports one of <paramref name="paths"/>: one pass
        /// over the graph, where the importers' index costs a list per imported file (an edit of a
        /// file nothing imports, the usual one, needs no index).
        /// </summary>
        private static bool AnyImports(IReadOnlyList<ProtoGraphFile> files, Stack<string> paths)
        {
            var wanted = new HashSet<string>(paths, StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var import in file.Imports)
                {
                    if (wanted.Contains(import))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// True when what a partial build loaded can be judged without the rest: no file has errors
        /// (those go through a full build, so they are reported as protoc would), every loaded file
        /// was in the last build, and no changed file defines a name that may clash that it did not before.
        /// </summary>
        private bool PartialHolds(PartialLoad partial, List<string> order)
        {
            if (_workspace.FileDiagnostics().Count > 0)
            {
                return false;
            }

            foreach (var path in order)
            {
                if (!partial.Graph.ContainsKey(path) || _workspace.Link.Get(_workspace.Database, path).HasErrors)
                {
                    return false;
                }
            }

            foreach (var path in partial.Changed)
            {
                if (NamesHashOf(_workspace.Link.Get(_workspace.Database, path)) != partial.Graph[path].NamesHash)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A partial build's account of the files it did not load: their diagnostics as the last
        /// build reported them, their definitions, their stamps and their place in the graph.
        /// </summary>
        private static void ReplayUnloaded(BuildReport report, PartialLoad partial, HashSet<string> rootSet, List<ProtoGraphFile> graph, List<Diagnostic> diagnostics, ConcurrentDictionary<string, FileStamp> stamps)
        {
            var loaded = new HashSet<string>(graph.Count, StringComparer.Ordinal);
            foreach (var file in graph)
            {
                loaded.Add(file.VirtualPath);
            }

            // The unloaded files' names as diagnostics show them, made only when there are
            // diagnostics to match (a name per file is a string and a relative path worked out).
            var previousDiagnostics = partial.Delta.Previous.Diagnostics;
            var displays = previousDiagnostics.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in partial.Delta.Previous.ProtoGraph)
            {
                if (loaded.Contains(file.VirtualPath))
                {
                    continue;
                }

                graph.Add(file);
                displays?.Add(file.DiskPath is { } disk ? Display(disk) : file.VirtualPath);
                if (rootSet.Contains(file.VirtualPath))
                {
                    report.Definitions += file.Definitions;
                }
                else if (file.DiskPath is { } path && partial.Delta.Stamps.TryGetValue(path, out var stamp))
                {
                    stamps.TryAdd(path, stamp);
                }
            }

            foreach (var d in previousDiagnostics)
            {
                if (displays!.Contains(d.Path))
                {
                    diagnostics.Add(d);
                }
            }
        }

        /// <summary>A hash of a file's names that can clash with another file's (<see cref="RunConflicts.VisitClashableNames"/>), independent of their order.</summary>
        private static ulong NamesHashOf(LinkedProtoFile file)
        {
            ulong sum = 0;
            RunConflicts.VisitClashableNames(file, (name, isPackage) => sum += XxHash64.HashToUInt64(MemoryMarshal.AsBytes(name.AsSpan()), isPackage ? 1 : 0));
            return sum;
        }

        /// <param name="stamps">The inputs' stamps, just taken: a root with one is on disk, and is not stat'ed again.</param>
        private void MapRoots(IReadOnlyList<string> roots, ConcurrentDictionary<string, FileStamp> stamps, List<Diagnostic> diagnostics)
        {
            _mappedRoots = roots;
            _mappingDiagnostics = [];
            _virtualRoots = new List<string>(roots.Count);
            _diskOf = new Dictionary<string, string>(roots.Count, StringComparer.Ordinal);
            // Each mapping looks for the file's name under every earlier import path (protoc's
            // shadowing rule): for 2,000 inputs, a quarter of an edit's build when done in a row
            // with a stat each; now one listing per folder, and a stat only for a name it has.
            var mappings = new (ProtoInputMapping Result, string VirtualPath, string Shadowing)[roots.Count];
            var listings = new FolderListings();
            Parallel.For(0, roots.Count, i =>
            {
                var known = stamps.TryGetValue(roots[i], out var stamp) && stamp != FileStamp.Missing;
                var result = _tree.MapInput(roots[i], out var mapped, out var shadows, known, listings);
                mappings[i] = (result, mapped, shadows);
            });
            for (var i = 0; i < roots.Count; i++)
            {
                var root = roots[i];
                var (result, virtualPath, shadowing) = mappings[i];
                switch (result)
                {
                    case ProtoInputMapping.Success:
                        if (_diskOf.TryAdd(virtualPath, root))
                        {
                            _virtualRoots.Add(virtualPath);
                        }

                        break;
                    case ProtoInputMapping.Shadowed:
                        _mappingDiagnostics.Add(BuildDiagnostics.GeneratorFailed.ForFile(Display(root), $"Input is shadowed in the import paths by \"{shadowing}\"."));
                        break;
                    default:
                        _mappingDiagnostics.Add(BuildDiagnostics.OutsideImportPaths.ForFile(Display(root), Display(root), string.Join(", ", _config.ImportPaths.Select(Display))));
                        break;
                }
            }

            diagnostics.AddRange(_mappingDiagnostics);
        }

        /// <summary>A file's text hash, computed again only when its text is a new string.</summary>
        private Hash128 TextHashOf(string path)
        {
            var text = _workspace.SourceOf(path).Text;
            lock (_textHashes)
            {
                if (text is not null && _textHashes.TryGetValue(path, out var known) && ReferenceEquals(known.Text, text))
                {
                    return known.Hash;
                }
            }

            var hash = HashText(text);
            if (text is not null)
            {
                lock (_textHashes)
                {
                    _textHashes[path] = new TextHash(text, hash);
                }
            }

            return hash;
        }

        /// <summary>The full path of a disk path as the source tree gives it, remembered (watch mode asks for every file on each edit).</summary>
        private string FullPathOf(string disk)
        {
            lock (_fullPaths)
            {
                if (!_fullPaths.TryGetValue(disk, out var full))
                {
                    _fullPaths[disk] = full = Path.GetFullPath(disk);
                }

                return full;
            }
        }

        /// <summary>How diagnostics name a loaded file: its disk path relative to the working folder, or its virtual path.</summary>
        private string DisplayOf(string path, ProtoSource source)
        {
            if (source.DiskPath is not { } disk)
            {
                return path;
            }

            lock (_displays)
            {
                if (!_displays.TryGetValue(disk, out var display))
                {
                    _displays[disk] = display = Display(FullPathOf(disk));
                }

                return display;
            }
        }

        /// <summary>
        /// An input's cache key: Kiln, the settings, its virtual path and text, and for each import
        /// the Merkle hash of the import's exports and, in turn, its imports'.
        /// </summary>
        private Hash128 KeyOf(string path, ImportClosure closure)
        {
            var key = new KeyBuilder().Add(s_versionHash).Add(_owner._config.Fingerprint).Add(path).Add(TextHashOf(path));
            foreach (var import in _workspace.ImportsOf(path))
            {
                key.Add(import).Add(closure[import]);
            }

            return key.Key;
        }

        /// <summary>Runs the configured generators on one input: (full output path, UTF-8 bytes) pairs, or null after an error.</summary>
        private GeneratedOutputs? Generate(string path, CSharpOptions? csharpOptions, GrpcOptions? grpcOptions, List<Diagnostic> diagnostics)
        {
            var linked = _workspace.Link.Get(_workspace.Database, path);
            var index = EnsureIndex();
            var file = index.GetFile(path);
            var outputs = new GeneratedOutputs();
            var display = DisplayOf(path, _workspace.SourceOf(path));
            if (csharpOptions is not null)
            {
                if (CSharpGenerator.GetOutputPath(file, csharpOptions, out var error) is not { } relative)
                {
                    diagnostics.Add(BuildDiagnostics.GeneratorFailed.ForFile(display, $"csharp: {error}"));
                    outputs.Dispose();
                    return null;
                }

                if (OutputWriter.ContainedPath(_config.CSharp!.Out, relative) is not { } full)
                {
                    diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(display, relative, "the path leaves the output folder"));
                    outputs.Dispose();
                    return null;
                }

                var text = t_text ??= new CharBuffer(); // grows as needed (1 << 20 was a 2 MB LOH array for one small file)
                text.Clear();
                CSharpGenerator.Generate(file, linked.ToGeneratorDescriptorProto().ToByteArray(), csharpOptions, text);
                outputs.Add(full, text.WrittenSpan);
            }

            if (grpcOptions is not null)
            {
                var generated = GrpcCSharpGenerator.Generate(file, grpcOptions, out var error);
                if (error is not null)
                {
                    diagnostics.Add(BuildDiagnostics.GeneratorFailed.ForFile(display, $"grpc: {error}"));
                    outputs.Dispose();
                    return null;
                }

                if (generated is not null)
                {
                    if (OutputWriter.ContainedPath(_config.Grpc!.Out, generated.Path) is not { } full)
                    {
                        diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(display, generated.Path, "the path leaves the output folder"));
                        outputs.Dispose();
                        return null;
                    }

                    outputs.Add(full, generated.Content);
                }
            }

            return outputs;
        }

        /// <summary>
        /// The type index over every loaded file, made before the first generator runs (GenerateAll's prepare); later
        /// builds replace only the files whose link changed (listed by the check), once per build (protoc's generator resolves types by
        /// name through the index, so a replaced file is seen by every file naming its types).
        /// </summary>
        private ProtoTypeIndex EnsureIndex()
        {
            lock (_indexLock)
            {
                _index ??= new ProtoTypeIndex([]);
                if (!_indexStale)
                {
                    return _index;
                }

                _indexStale = false;
                var changed = new List<(FileDescriptorProto, SourceCodeInfo?)>(_toIndex.Count);
                foreach (var linked in _toIndex)
                {
                    changed.Add((linked.Descriptor, linked.SourceCodeInfo));
                    _indexed[linked.Path] = linked;
                }

                _toIndex.Clear();
                _index.ReplaceAll(changed);

                return _index;
            }
        }
    }
}
