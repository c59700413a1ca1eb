using System.Collections.Concurrent;
using Kiln.CSharp.Netstd;
using Kiln.Engine;
using Kiln.Text;
using Kiln.Thrift;
using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.Build;

/// <summary>The text of one file as read from disk, or why it could not be read.</summary>
/// <param name="DisplayPath">The path diagnostics show: relative to the working folder when inside it.</param>
public sealed record SourceFile(string DisplayPath, string? Text, string? Error);

/// <summary>Where one <c>include</c> of one file led: a file (by full path), nothing, or back into a cycle.</summary>
public sealed record IncludeResolution(string? Target, EquatableArray<string> CyclePath);

/// <summary>
/// The Thrift pipeline as engine queries over one database:
/// <c>parse(file)</c> reads the file's text; <c>bind(file)</c> reads <c>parse(file)</c> and
/// <c>bind</c> of each include. The driver (<see cref="Load"/>) reads each file once, resolves
/// includes as thrift does (the including file's folder first, then each <c>-I</c> folder), and
/// sets those facts as inputs; the queries never touch the disk. Files are keyed by full path,
/// so a file reached through several include paths is parsed and bound once. The compiler flags
/// (<see cref="ThriftOptions"/>) are an input too: <c>bind</c> reads only the flags that change
/// binding (through <c>bindOptions</c>, which backdates when they are equal), and
/// <c>diagnostics(file)</c> filters what is reported, so a rebuild with other flags re-runs only
/// what they change.
/// </summary>
public sealed class ThriftWorkspace
{
    private readonly Input<string, SourceFile> _sources;
    private readonly Input<ImportKey, IncludeResolution> _includes;
    private readonly Input<string, ThriftOptions> _options;
    private readonly ConcurrentDictionary<string, List<(string Include, string? Target)>> _edges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _fullPaths = new(StringComparer.Ordinal);
    private List<string>? _lastRoots;

    /// <summary>The one key of the options input and of the <c>bindOptions</c> query.</summary>
    private const string OptionsKey = "flags";

    public ThriftWorkspace(IReadOnlyList<string> includeDirectories, ThriftOptions? options = null)
    {
        IncludeDirectories = includeDirectories;
        Database = new Database();
        _sources = Database.Input<string, SourceFile>("source");
        _includes = Database.Input<ImportKey, IncludeResolution>("include");
        _options = Database.Input<string, ThriftOptions>("options");
        _options.Set(OptionsKey, options ?? ThriftOptions.Default);
        BindOptions = Database.Query<string, ThriftOptions>("bindOptions", (ctx, key) => ctx.Get(_options, key).ForBinding());
        Parse = Database.Query<string, ParsedFile>("parse", (ctx, path) =>
        {
            var source = ctx.Get(_sources, path);
            return ThriftParser.Parse(source.DisplayPath, source.Text ?? "");
        });
        Bind = Database.Query<string, BoundFile>("bind", (ctx, path) =>
        {
            var parsed = ctx.Get(Parse, path);
            return ThriftBinder.BindFile(
                parsed,
                include =>
                {
                    var resolution = ctx.Get(_includes, new ImportKey(path, include));
                    if (resolution.CyclePath.Count > 0)
                    {
                        return IncludeOutcome.Cycle(resolution.CyclePath);
                    }

                    return resolution.Target is null ? IncludeOutcome.NotFound : IncludeOutcome.Found(ctx.Get(Model!, resolution.Target));
                },
                modelPath => FullPathOfModel(ctx, modelPath),
                ctx.Get(BindOptions, OptionsKey));
        });

        Diagnostics = Database.Query<string, EquatableArray<Diagnostic>>("diagnostics", (ctx, path) =>
        {
            // Parse and bind diagnostics of one file, in source order (OrderBy is stable), as the flags report them.
            var all = ctx.Get(Parse, path).Diagnostics
                .Concat(ctx.Get(Bind, path).Diagnostics)
                .OrderBy(d => d.Line)
                .ThenBy(d => d.Column)
                .ToList();
            return ctx.Get(_options, OptionsKey).Filter(all);
        });

        // The firewall: other files read only the model (no positions), so an edit that only
        // moves text or changes diagnostics in an included file stops here.
        Model = Database.Query<string, ThriftFileModel>("model", (ctx, path) => ctx.Get(Bind, path).Model);

        EmitNetstd = Database.Query<(string Path, NetstdOptions Options), NetstdGeneratorResult>("emitNetstd", (ctx, key) =>
            NetstdGenerator.Generate(ctx.Get(Model, key.Path), modelPath => FullPathOfModel(ctx, modelPath), key.Options),
            new QueryOptions<NetstdGeneratorResult> { LruCapacity = EmittedValuesKept });
    }

    /// <summary>
    /// Generated text is large (about 25 times the IDL) and is written out as soon as it is
    /// made, so the emit query keeps only this many values; the rest are recomputed on demand.
    /// </summary>
    public const int EmittedValuesKept = 64;

    public Database Database { get; }

    public IReadOnlyList<string> IncludeDirectories { get; }

    public Query<string, ParsedFile> Parse { get; }

    public Query<string, BoundFile> Bind { get; }

    /// <summary>The flags binding reads (<see cref="ThriftOptions.ForBinding"/>); one key.</summary>
    public Query<string, ThriftOptions> BindOptions { get; }

    /// <summary>A file's parse and bind diagnostics, in source order, filtered by the flags (<see cref="ThriftOptions.Filter"/>).</summary>
    public Query<string, EquatableArray<Diagnostic>> Diagnostics { get; }

    /// <summary>The compiler flags: set them before a build; a change re-runs only the queries that read what changed.</summary>
    public ThriftOptions Options
    {
        get => _options.Get(Database, OptionsKey);
        set => _options.Set(OptionsKey, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The resolved model of a file: what includers, and emitters, read.</summary>
    public Query<string, ThriftFileModel> Model { get; }

    /// <summary>The C# (netstd) files generated for one file with some options.</summary>
    public Query<(string Path, NetstdOptions Options), NetstdGeneratorResult> EmitNetstd { get; }

    /// <summary>Every file loaded so far (full paths), roots and includes.</summary>
    public IReadOnlyCollection<string> Files => (IReadOnlyCollection<string>)_edges.Keys;

    /// <summary>
    /// Reads the roots and, wave by wave, everything they include; parses each wave in parallel.
    /// Returns the full paths of the roots. Missing roots get a source with an error. Calling it
    /// again re-reads every file and re-resolves every include: files whose text is unchanged
    /// set nothing, so the engine re-runs only what an edit really touched.
    /// </summary>
    public IReadOnlyList<string> Load(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _edges.Clear();
        _fullPaths.Clear(); // display paths are relative to the current folder, which may have changed
        var rootPaths = new List<string>();
        var frontier = new List<string>();
        foreach (var root in roots)
        {
            var full = Path.GetFullPath(root);
            rootPaths.Add(full);
            if (!frontier.Contains(full))
            {
                frontier.Add(full);
            }
        }

        LoadWaves(frontier);
        _lastRoots = rootPaths;
        SetIncludeResolutions(rootPaths);
        return rootPaths;
    }

    /// <summary>
    /// After a <see cref="Load"/> of the same roots: reads <paramref name="changed"/> (full paths of
    /// loaded files) again and loads what they now include. When no include changed, the include
    /// graph and its resolutions are kept as they are, so an edit costs the edited files.
    /// </summary>
    public IReadOnlyList<string> Update(IReadOnlyCollection<string> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (_lastRoots is null)
        {
            throw new InvalidOperationException("Update follows a Load.");
        }

        var frontier = new List<string>();
        var before = new List<(string Path, (string Include, string? Target)[] Edges, bool Found)>();
        foreach (var path in changed.Distinct(StringComparer.Ordinal))
        {
            if (_edges.TryGetValue(path, out var edges))
            {
                frontier.Add(path);
                before.Add((path, [.. edges], SourceOf(path).Text is not null));
            }
        }

        var fileCount = _edges.Count;
        LoadWaves(frontier);
        if (_edges.Count != fileCount || !before.TrueForAll(b => _edges[b.Path].SequenceEqual(b.Edges) && (SourceOf(b.Path).Text is not null) == b.Found))
        {
            SetIncludeResolutions(_lastRoots);
        }

        return _lastRoots;
    }

    /// <summary>The files <paramref name="path"/> includes directly (those found).</summary>
    public IEnumerable<string> DirectIncludes(string path)
    {
        if (_edges.TryGetValue(path, out var edges))
        {
            foreach (var (_, target) in edges)
            {
                if (target is not null)
                {
                    yield return target;
                }
            }
        }
    }

    /// <summary>Reads and parses <paramref name="frontier"/> (full paths), then wave by wave each include not loaded yet.</summary>
    private void LoadWaves(List<string> frontier)
    {
        while (frontier.Count > 0)
        {
            // Read in parallel (IO), set inputs on this thread, then parse in parallel.
            var read = new SourceFile[frontier.Count];
            Parallel.For(0, frontier.Count, i => read[i] = ReadSource(frontier[i]));
            for (var i = 0; i < frontier.Count; i++)
            {
                _sources.Set(frontier[i], read[i]);
                _edges[frontier[i]] = [];
            }

            var next = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            Parallel.ForEach(frontier, path =>
            {
                var parsed = Parse.Get(Database, path);
                var edges = _edges[path];
                foreach (var header in parsed.Syntax.Headers)
                {
                    if (header is IncludeSyntax include && !edges.Exists(e => e.Include == include.Path))
                    {
                        var target = ResolveInclude(path, include.Path);
                        edges.Add((include.Path, target));
                        if (target is not null && !_edges.ContainsKey(target))
                        {
                            next.TryAdd(target, 0);
                        }
                    }
                }
            });
            frontier = [.. next.Keys.Order(StringComparer.Ordinal)];
        }

    }

    /// <summary>The source of a loaded file (its display path and text).</summary>
    public SourceFile SourceOf(string fullPath) => _sources.Get(Database, fullPath);

    /// <summary>Binds every loaded file, in parallel; each file's bind reads its includes' binds.</summary>
    public void BindAll() => Parallel.ForEach(_edges.Keys, path => Bind.Get(Database, path));

    /// <summary>Full paths of the files <paramref name="root"/> includes, directly or not (not itself), in a stable order.</summary>
    public IReadOnlyList<string> IncludedFiles(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var order = new List<string>();
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var path = stack.Pop();
            if (!_edges.TryGetValue(path, out var edges))
            {
                continue;
            }

            foreach (var (_, target) in edges)
            {
                if (target is not null && seen.Add(target))
                {
                    order.Add(target);
                    stack.Push(target);
                }
            }
        }

        return order;
    }

    private ThriftFileModel? FullPathOfModel(QueryContext ctx, string modelPath)
    {
        // Models name files by display path; map back to the full path the queries use. The
        // emitters ask this for every type they name from another file, and a relative path's
        // full path costs a getcwd system call, so each answer is remembered.
        var full = _fullPaths.GetOrAdd(modelPath, static path => Path.GetFullPath(path));
        return _edges.ContainsKey(full) ? ctx.Get(Model, full) : null;
    }

    private static SourceFile ReadSource(string fullPath)
    {
        var display = DisplayPath(fullPath);
        try
        {
            return new SourceFile(display, TextFile.ReadAllText(fullPath), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SourceFile(display, null, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message);
        }
    }

    /// <summary>thrift's rule: an absolute path as is; otherwise the including file's folder, then each -I folder in order.</summary>
    private string? ResolveInclude(string fromFullPath, string include)
    {
        if (Path.IsPathRooted(include))
        {
            return File.Exists(include) ? Path.GetFullPath(include) : null;
        }

        var candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fromFullPath)!, include));
        if (File.Exists(candidate))
        {
            return candidate;
        }

        foreach (var directory in IncludeDirectories)
        {
            candidate = Path.GetFullPath(Path.Combine(directory, include));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Sets the include inputs. A depth-first walk from the roots (in order) marks each include
    /// that leads back into a file still being walked as a cycle, so <c>bind</c> never waits on
    /// itself: the include graph the queries see is acyclic.
    /// </summary>
    private void SetIncludeResolutions(IReadOnlyList<string> roots)
    {
        List<(string Include, string? Target)> EdgesOf(string path) => _edges.TryGetValue(path, out var edges) ? edges : [];
        GraphWalk.FindCycles(
            roots.Concat(_edges.Keys.Order(StringComparer.Ordinal)),
            path => EdgesOf(path).Count,
            (path, index) => EdgesOf(path)[index].Target,
            (path, index, cycle) =>
            {
                var (include, target) = EdgesOf(path)[index];
                var cyclePath = cycle is null ? EquatableArray<string>.Empty : new EquatableArray<string>([.. cycle.Select(DisplayPath)]);
                _includes.Set(new ImportKey(path, include), new IncludeResolution(target, cyclePath));
            });
    }

    internal static string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
