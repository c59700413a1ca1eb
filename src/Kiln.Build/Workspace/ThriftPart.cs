using System.Collections.Concurrent;
using Kiln.CSharp.Netstd;
using Kiln.Text;

namespace Kiln.Build.Workspace;

public sealed partial class WorkspaceBuilder
{
    /// <summary>
    /// The Thrift half of a workspace: a <see cref="ThriftWorkspace"/> (its <c>model</c> query is
    /// the firewall that keeps a comment edit from re-emitting includers) and the netstd generator
    /// run per input. Cache keys hash the file's text and its includes' texts, transitively: a
    /// model has no canonical bytes to hash, so across processes a Thrift edit re-generates its
    /// includers (their bytes, unchanged, are not rewritten); within one process the engine's
    /// early cutoff applies.
    /// </summary>
    private sealed class ThriftPart(WorkspaceBuilder owner, ThriftConfig config)
    {
        private readonly ThriftWorkspace _workspace = new(config.IncludePaths);
        private readonly Dictionary<string, Generated> _generated = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Hash128> _textHashes = new(StringComparer.Ordinal);
        private IReadOnlyList<string>? _loadedRoots;

        public IReadOnlyList<Kiln.Engine.QueryStatistics> Statistics => _workspace.Database.GetStatistics();

        /// <summary>The include graph of the last build, for the build state (empty after a build that stopped early).</summary>
        public IReadOnlyList<ThriftGraphFile> Graph { get; private set; } = [];

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
            NetstdOptions? options = null;
            if (config.Netstd is { } netstd)
            {
                options = ThriftBuild.ParseGenerator("netstd:" + netstd.Options, out var usage);
                if (options is null)
                {
                    foreach (var d in usage)
                    {
                        report.Diagnostics.Add(BuildDiagnostics.BadConfig.ForFile(owner._config.File ?? "", $"thrift.netstd.options: {d.Message}"));
                    }

                    report.UsageError = true;
                    return;
                }
            }

            // A first build, or new inputs, reads every file (an unchanged text sets nothing, so the
            // engine re-runs only what an edit touched); watch mode reads only the changed files.
            var load = Begin();
            var incremental = changed is not null && ReferenceEquals(roots, _loadedRoots);
            // A one-shot build in a new process after a clean build reads only the changed files,
            // what includes them and what they include; _loadedRoots stays null, so a later build
            // of this builder loads everything.
            var partial = delta is not null && _loadedRoots is null && !owner.LongLived ? LoadPartially(delta, roots) : null;
            if (partial is not null)
            {
                _workspace.BindAll();
                if (!PartialHolds(partial))
                {
                    partial = null; // an error, or a file new to the graph: a full build judges it
                }
            }

            if (partial is null)
            {
                if (incremental)
                {
                    _workspace.Update(changed!);
                }
                else
                {
                    _workspace.Load(roots);
                    _loadedRoots = roots;
                }

                _workspace.BindAll();
            }

            report.FilesLoaded += _workspace.Files.Count;
            End(report, load, "thrift: read, parse and bind", "phase");

            var check = Begin();
            var diagnostics = new List<Diagnostic>();
            var rootSet = new HashSet<string>(roots, StringComparer.Ordinal);
            var loadedSet = new HashSet<string>(_workspace.Files, StringComparer.Ordinal);
            var graph = new List<ThriftGraphFile>(loadedSet.Count);
            foreach (var path in roots.Where(loadedSet.Contains).Concat(_workspace.Files.Where(f => !rootSet.Contains(f)).Order(StringComparer.Ordinal)))
            {
                var source = _workspace.SourceOf(path);
                if (source.Text is null)
                {
                    diagnostics.Add(BuildDiagnostics.CannotRead.ForFile(source.DisplayPath, source.DisplayPath, source.Error));
                    continue;
                }

                diagnostics.AddRange(_workspace.Diagnostics.Get(_workspace.Database, path));
                var model = _workspace.Model.Get(_workspace.Database, path);
                var definitions = model.Structs.Count + model.Enums.Count + model.Services.Count + model.Typedefs.Count + model.Consts.Count;
                graph.Add(new ThriftGraphFile(path, [.. _workspace.DirectIncludes(path)], definitions));
                if (!rootSet.Contains(path))
                {
                    stamps.TryAdd(path, FileStamp.Of(path) ?? FileStamp.Missing);
                }
                else
                {
                    report.Definitions += definitions;
                }
            }

            if (partial is not null)
            {
                ReplayUnloaded(report, partial, rootSet, loadedSet, graph, diagnostics, stamps);
            }

            Graph = graph;
            report.Diagnostics.AddRange(diagnostics);
            End(report, check, "thrift: check", "phase");
            if (options is null || diagnostics.Exists(d => d.IsError))
            {
                foreach (var root in roots)
                {
                    keep.TryAdd(root, 0);
                }

                return;
            }

            // Watch mode: only the changed files and what includes them, directly or not, can have
            // new keys; every other input keeps its outputs without its key being computed again.
            HashSet<string>? affected = null;
            if (incremental)
            {
                var includers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var file in _workspace.Files)
                {
                    foreach (var target in _workspace.DirectIncludes(file))
                    {
                        if (!includers.TryGetValue(target, out var list))
                        {
                            includers[target] = list = [];
                        }

                        list.Add(file);
                    }
                }

                affected = new HashSet<string>(StringComparer.Ordinal);
                var stack = new Stack<string>(changed!);
                while (stack.Count > 0)
                {
                    var path = stack.Pop();
                    if (affected.Add(path) && includers.TryGetValue(path, out var list))
                    {
                        foreach (var includer in list)
                        {
                            stack.Push(includer);
                        }
                    }
                }

                foreach (var path in affected)
                {
                    _textHashes.TryRemove(path, out _);
                }
            }
            else
            {
                _textHashes.Clear();
            }

            var generate = Begin();
            var toGenerate = roots;
            if (partial is not null)
            {
                toGenerate = [.. roots.Where(loadedSet.Contains)];
                KeepOutputsOf(report, partial.Delta.Previous, [.. roots.Where(r => !loadedSet.Contains(r))], produced);
            }

            var items = new GenerationItem[toGenerate.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = new GenerationItem(toGenerate[i], toGenerate[i], Priority(toGenerate[i], _workspace.SourceOf(toGenerate[i]).Text, changed));
            }

            owner.GenerateAll(
                report,
                items,
                _generated,
                unchanged: i => affected is not null && !affected.Contains(toGenerate[i]),
                keyOf: i => KeyOf(toGenerate[i]),
                prepare: null,
                generate: (i, list) => Generate(toGenerate[i], options, list),
                produced,
                keep);
            End(report, generate, "thrift: generate and write", "phase");
        }

        /// <summary>A build in a new process that reads only the changed files, the files including them (directly or not), and what those include.</summary>
        private sealed record PartialLoad(StateDelta Delta, Dictionary<string, ThriftGraphFile> Graph, List<string> Changed);

        /// <summary>
        /// Starts a partial build: loads the changed files and every file that includes one of them,
        /// directly or not (with what they include). Null when the build state cannot vouch for the
        /// rest (no graph, a root it does not know, a changed file gone) or so much changed that a
        /// full build costs no more.
        /// </summary>
        private PartialLoad? LoadPartially(StateDelta delta, IReadOnlyList<string> roots)
        {
            var files = delta.Previous.ThriftGraph;
            if (files.Count == 0)
            {
                return null;
            }

            var graph = new Dictionary<string, ThriftGraphFile>(files.Count, StringComparer.Ordinal);
            var includers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                graph[file.Path] = file;
                foreach (var include in file.Includes)
                {
                    if (!includers.TryGetValue(include, out var list))
                    {
                        includers[include] = list = [];
                    }

                    list.Add(file.Path);
                }
            }

            if (!roots.All(graph.ContainsKey))
            {
                return null;
            }

            var changed = delta.Changed.Where(graph.ContainsKey).Order(StringComparer.Ordinal).ToList();
            if (changed.Count * 2 > files.Count || changed.Exists(c => !File.Exists(c)))
            {
                return null;
            }

            var affected = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(changed);
            while (stack.TryPop(out var path))
            {
                if (affected.Add(path))
                {
                    foreach (var includer in includers.GetValueOrDefault(path) ?? [])
                    {
                        stack.Push(includer);
                    }
                }
            }

            _workspace.Load([.. affected.Order(StringComparer.Ordinal)]);
            return new PartialLoad(delta, graph, changed);
        }

        /// <summary>True when what a partial build loaded can be judged alone: every file was in the last build, was read, and has no error.</summary>
        private bool PartialHolds(PartialLoad partial)
        {
            foreach (var path in _workspace.Files)
            {
                if (!partial.Graph.ContainsKey(path) || _workspace.SourceOf(path).Text is null
                    || _workspace.Diagnostics.Get(_workspace.Database, path).Any(d => d.IsError))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A partial build's account of the files it did not load: their diagnostics as the last build reported them, definitions, stamps and place in the graph.</summary>
        private static void ReplayUnloaded(BuildReport report, PartialLoad partial, HashSet<string> rootSet, HashSet<string> loaded, List<ThriftGraphFile> graph, List<Diagnostic> diagnostics, ConcurrentDictionary<string, FileStamp> stamps)
        {
            // Made only when there are diagnostics to match (see the Protobuf part's).
            var previousDiagnostics = partial.Delta.Previous.Diagnostics;
            var displays = previousDiagnostics.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in partial.Delta.Previous.ThriftGraph)
            {
                if (loaded.Contains(file.Path))
                {
                    continue;
                }

                graph.Add(file);
                displays?.Add(Display(file.Path));
                if (rootSet.Contains(file.Path))
                {
                    report.Definitions += file.Definitions;
                }
                else if (partial.Delta.Stamps.TryGetValue(file.Path, out var stamp))
                {
                    stamps.TryAdd(file.Path, stamp);
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

        /// <summary>An input's cache key: Kiln, the settings, its path and text, and the path and text of every file it includes, directly or not.</summary>
        private Hash128 KeyOf(string root)
        {
            var key = new KeyBuilder().Add(s_versionHash).Add(owner._config.Fingerprint).Add(root).Add(TextHash(root));
            foreach (var included in _workspace.IncludedFiles(root))
            {
                key.Add(included).Add(TextHash(included));
            }

            return key.Key;
        }

        /// <summary>The netstd files of one input (through the engine's <c>emitNetstd</c> query), or null after an error.</summary>
        private GeneratedOutputs? Generate(string root, NetstdOptions options, List<Diagnostic> diagnostics)
        {
            var result = _workspace.EmitNetstd.Get(_workspace.Database, (root, options));
            diagnostics.AddRange(result.Diagnostics);
            if (result.HasErrors)
            {
                return null;
            }

            var outputs = new GeneratedOutputs();
            foreach (var file in result.Files)
            {
                if (OutputWriter.ContainedPath(config.Netstd!.Out, file.Path) is not { } full)
                {
                    diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(Display(root), file.Path, "the path leaves the output folder"));
                    outputs.Dispose();
                    return null;
                }

                outputs.Add(full, file.Text);
            }

            return outputs;
        }

        /// <summary>A file's text hash, once per build however many files include it.</summary>
        private Hash128 TextHash(string path) => _textHashes.GetOrAdd(path, p => HashText(_workspace.SourceOf(p).Text));
    }
}
