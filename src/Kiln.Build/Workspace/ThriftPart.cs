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
            var items = new GenerationItem[roots.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = new GenerationItem(roots[i], roots[i], Priority(roots[i], _workspace.SourceOf(roots[i]).Text, changed));
            }

            owner.GenerateAll(
                report,
                items,
                _generated,
                unchanged: i => affected is not null && !affected.Contains(roots[i]),
                keyOf: i => KeyOf(roots[i]),
                generate: (i, list) => Generate(roots[i], options, list),
                produced,
                keep);
            End(report, generate, "thrift: generate and write", "phase");
        }

        /// <summary>An input's cache key: Kiln, the settings, its path and text, and the path and text of every file it includes, directly or not.</summary>
        private UInt128 KeyOf(string root)
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
        private UInt128 TextHash(string path) => _textHashes.GetOrAdd(path, p => HashText(_workspace.SourceOf(p).Text));
    }
}
