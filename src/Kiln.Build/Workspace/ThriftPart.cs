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
        private readonly Dictionary<string, (UInt128 Key, List<string> Paths)> _generated = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, UInt128> _textHashes = new(StringComparer.Ordinal);
        private IReadOnlyList<string>? _loadedRoots;

        public IReadOnlyList<Kiln.Engine.QueryStatistics> Statistics => _workspace.Database.GetStatistics();

        public void Build(
            BuildReport report,
            IReadOnlyList<string> roots,
            IReadOnlyCollection<string>? changed,
            ConcurrentDictionary<string, OutputRecord> produced,
            ConcurrentDictionary<string, byte> keep,
            ConcurrentDictionary<string, FileStamp> stamps)
        {
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
            report.FilesLoaded += _workspace.Files.Count;
            End(report, load, "thrift: read, parse and bind", "phase");

            var check = Begin();
            var diagnostics = new List<Diagnostic>();
            var rootSet = new HashSet<string>(roots, StringComparer.Ordinal);
            foreach (var path in roots.Concat(_workspace.Files.Where(f => !rootSet.Contains(f)).Order(StringComparer.Ordinal)))
            {
                var source = _workspace.SourceOf(path);
                if (source.Text is null)
                {
                    diagnostics.Add(BuildDiagnostics.CannotRead.ForFile(source.DisplayPath, source.DisplayPath, source.Error));
                    continue;
                }

                diagnostics.AddRange(_workspace.Diagnostics.Get(_workspace.Database, path));
                if (!rootSet.Contains(path))
                {
                    stamps.TryAdd(path, FileStamp.Of(path) ?? default);
                }
                else
                {
                    var model = _workspace.Model.Get(_workspace.Database, path);
                    report.Definitions += model.Structs.Count + model.Enums.Count + model.Services.Count + model.Typedefs.Count + model.Consts.Count;
                }
            }

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
            var folders = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            var results = new (UInt128, List<string>)?[roots.Count];
            var rootDiagnostics = new List<Diagnostic>[roots.Count];
            var done = 0;
            owner.Progress?.Invoke("generating", 0, roots.Count);
            Parallel.For(0, roots.Count, i =>
            {
                var spanStart = Begin();
                var list = rootDiagnostics[i] = [];
                results[i] = GenerateOne(report, roots[i], options, produced, folders, list, affected);
                End(report, spanStart, Display(roots[i]), "generate");
                owner.Progress?.Invoke("generating", Interlocked.Increment(ref done), roots.Count);
            });

            for (var i = 0; i < roots.Count; i++)
            {
                report.Diagnostics.AddRange(rootDiagnostics[i]);
                if (results[i] is { } result)
                {
                    _generated[roots[i]] = result;
                }
                else
                {
                    _generated.Remove(roots[i]);
                    keep.TryAdd(roots[i], 0);
                }
            }

            End(report, generate, "thrift: generate and write", "phase");
        }

        private (UInt128, List<string>)? GenerateOne(
            BuildReport report,
            string root,
            NetstdOptions options,
            ConcurrentDictionary<string, OutputRecord> produced,
            ConcurrentDictionary<string, byte> folders,
            List<Diagnostic> diagnostics,
            HashSet<string>? affected)
        {
            if (affected is not null && !affected.Contains(root))
            {
                (UInt128 Key, List<string> Paths) kept;
                lock (_generated)
                {
                    kept = _generated.GetValueOrDefault(root);
                }

                if (kept.Paths is not null && kept.Paths.TrueForAll(p => owner.IsCurrent(p, root, produced)))
                {
                    lock (report)
                    {
                        report.Reused++;
                        report.Unchanged += kept.Paths.Count;
                    }

                    return kept;
                }
            }

            var key = new KeyBuilder().Add(Version).Add(owner._config.Fingerprint).Add(root).Add(TextHash(root));
            foreach (var included in _workspace.IncludedFiles(root))
            {
                key.Add(included).Add(TextHash(included));
            }

            (UInt128 Key, List<string> Paths) previous;
            lock (_generated)
            {
                previous = _generated.GetValueOrDefault(root);
            }

            // Watch mode: the same key as last time means the same outputs; if they are still on disk as written, nothing to do.
            if (previous.Paths is not null && previous.Key == key.Key && previous.Paths.TrueForAll(p => owner.IsCurrent(p, root, produced)))
            {
                lock (report)
                {
                    report.Reused++;
                    report.Unchanged += previous.Paths.Count;
                }

                return previous;
            }

            var cacheKey = key.Key;
            var outputs = owner._cache is { } cache ? GeneratedOutputs.FromCache(cache, cacheKey) : null;
            if (outputs is null)
            {
                var result = _workspace.EmitNetstd.Get(_workspace.Database, (root, options));
                diagnostics.AddRange(result.Diagnostics);
                if (result.HasErrors)
                {
                    return null;
                }

                outputs = new GeneratedOutputs();
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

                lock (report)
                {
                    report.GeneratedInputs.Add(root);
                }

                if (owner._cache is { } store)
                {
                    outputs.Store(store, cacheKey);
                }
            }

            var paths = new List<string>(outputs.Count);
            using (outputs)
            {
                for (var i = 0; i < outputs.Count; i++)
                {
                    var (path, bytes) = outputs[i];
                    owner.WriteOutput(report, root, path, bytes, produced, folders, diagnostics);
                    paths.Add(path);
                }
            }

            return (cacheKey, paths);
        }

        /// <summary>A file's text hash, once per build however many files include it.</summary>
        private UInt128 TextHash(string path) => _textHashes.GetOrAdd(path, p => HashText(_workspace.SourceOf(p).Text));
    }
}
