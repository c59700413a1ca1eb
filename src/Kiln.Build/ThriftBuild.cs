using System.Collections.Concurrent;
using Kiln.CSharp.Netstd;
using Kiln.Engine;
using Kiln.Text;
using Kiln.Thrift;

namespace Kiln.Build;

/// <summary>What <c>kiln thrift</c> was asked to do.</summary>
/// <param name="Files">The root IDL files.</param>
/// <param name="IncludeDirectories"><c>-I</c> folders, searched in order after the including file's own folder.</param>
/// <param name="Generators">The <c>--gen</c> values (<c>netstd:opt,...</c>); empty means check only.</param>
/// <param name="OutputDirectory"><c>-out</c> (files go straight there) or null.</param>
/// <param name="GenPackagesDirectory"><c>-o</c> (files go under <c>DIR/gen-netstd</c>) or null.</param>
/// <param name="Recursive"><c>-r</c>: also generate the included files.</param>
/// <param name="Verbose"><c>-v</c>: the caller says what was read and written.</param>
/// <param name="Options">The checking flags (<c>-nowarn</c>, <c>-strict</c>, <c>--allow-neg-keys</c>, <c>--allow-64bit-consts</c>); null means none.</param>
public sealed record ThriftBuildRequest(
    IReadOnlyList<string> Files,
    IReadOnlyList<string> IncludeDirectories,
    IReadOnlyList<string> Generators,
    string? OutputDirectory,
    string? GenPackagesDirectory,
    bool Recursive,
    bool Verbose,
    ThriftOptions? Options = null);

/// <summary>
/// What a build did: every diagnostic (in a stable order), the files written and those left
/// unchanged, the files read (display paths, roots first), and the engine's counters per query.
/// </summary>
public sealed record ThriftBuildResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Display paths of the IDL files read, roots first, then includes by path.</summary>
    public IReadOnlyList<string> Read { get; init; } = [];

    /// <summary>The engine's counters for each query kind (for <c>-debug</c>).</summary>
    public IReadOnlyList<QueryStatistics> Statistics { get; init; } = [];
}

/// <summary>
/// One <c>kiln thrift</c> run: load the roots and their includes into a <see cref="ThriftWorkspace"/>,
/// bind everything in parallel, report diagnostics, and generate code for the roots (and with
/// <c>-r</c>, their includes) when no file has errors.
/// </summary>
public static class ThriftBuild
{
    public static ThriftBuildResult Run(ThriftBuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new List<Diagnostic>();
        var workspace = new ThriftWorkspace(request.IncludeDirectories, request.Options);
        var roots = workspace.Load(request.Files);
        workspace.BindAll();

        // Diagnostics: each file once, roots first, then includes by path.
        var read = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>(roots);
        order.AddRange(workspace.Files.Order(StringComparer.Ordinal));
        foreach (var path in order)
        {
            if (!reported.Add(path))
            {
                continue;
            }

            var source = workspace.SourceOf(path);
            if (source.Text is null)
            {
                diagnostics.Add(BuildDiagnostics.CannotRead.ForFile(source.DisplayPath, source.DisplayPath, source.Error));
                continue;
            }

            read.Add(source.DisplayPath);
            diagnostics.AddRange(workspace.Diagnostics.Get(workspace.Database, path));
        }

        var written = new List<string>();
        var unchanged = new List<string>();
        if (request.Generators.Count == 0 || diagnostics.Any(d => d.IsError))
        {
            return Result();
        }

        var targets = new List<string>();
        var targetSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (targetSet.Add(root))
            {
                targets.Add(root);
            }

            if (request.Recursive)
            {
                foreach (var included in workspace.IncludedFiles(root))
                {
                    if (targetSet.Add(included))
                    {
                        targets.Add(included);
                    }
                }
            }
        }

        foreach (var spec in request.Generators)
        {
            var options = ParseGenerator(spec, out var usage);
            if (options is null)
            {
                diagnostics.AddRange(usage);
                continue;
            }

            var outputRoot = request.OutputDirectory
                ?? Path.Combine(request.GenPackagesDirectory ?? ".", "gen-netstd");
            // Each target's files are written as soon as they are generated, so memory holds only
            // what is in flight (the emit query keeps few values: see ThriftWorkspace).
            var outcomes = new TargetOutcome[targets.Count];
            var owners = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var knownFolders = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            Parallel.For(0, targets.Count, i =>
                outcomes[i] = GenerateOne(workspace, targets[i], options, outputRoot, owners, knownFolders));
            foreach (var outcome in outcomes)
            {
                diagnostics.AddRange(outcome.Diagnostics);
                written.AddRange(outcome.Written);
                unchanged.AddRange(outcome.Unchanged);
            }
        }

        return Result();

        ThriftBuildResult Result() => new(diagnostics, written, unchanged)
        {
            Read = read,
            Statistics = workspace.Database.GetStatistics(),
        };
    }

    private static TargetOutcome GenerateOne(
        ThriftWorkspace workspace,
        string target,
        NetstdOptions options,
        string outputRoot,
        ConcurrentDictionary<string, string> owners,
        ConcurrentDictionary<string, byte> knownFolders)
    {
        var outcome = new TargetOutcome();
        var result = workspace.EmitNetstd.Get(workspace.Database, (target, options));
        outcome.Diagnostics.AddRange(result.Diagnostics);
        if (result.HasErrors)
        {
            return outcome;
        }

        var source = workspace.SourceOf(target).DisplayPath;
        foreach (var file in result.Files)
        {
            var full = OutputWriter.ContainedPath(outputRoot, file.Path);
            if (full is null)
            {
                outcome.Diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(source, file.Path, "the path leaves the output folder"));
                continue;
            }

            var owner = owners.GetOrAdd(full, source);
            if (owner != source)
            {
                outcome.Diagnostics.Add(BuildDiagnostics.OutputCollision.ForFile(source, file.Path, owner));
                continue;
            }

            try
            {
                (OutputWriter.WriteIfChanged(full, file.Text, knownFolders) ? outcome.Written : outcome.Unchanged).Add(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                outcome.Diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(full, full, e.Message));
            }
        }

        return outcome;
    }

    private sealed class TargetOutcome
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public List<string> Written { get; } = [];

        public List<string> Unchanged { get; } = [];
    }

    /// <summary>The generator languages <c>--gen</c> knows.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["netstd"];

    /// <summary>
    /// Reads one <c>--gen</c> value (<c>netstd</c> or <c>netstd:opt,...</c>); returns null with
    /// diagnostics when the language or an option is unknown.
    /// </summary>
    public static NetstdOptions? ParseGenerator(string spec, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (language, optionText) = SplitGenerator(spec);
        if (!Languages.Contains(language))
        {
            diagnostics = [BuildDiagnostics.UsageError.ForFile("", $"Unknown generator '{language}'. Known generators: {string.Join(", ", Languages)}.")];
            return null;
        }

        var options = NetstdOptions.Parse(optionText, out var optionDiagnostics);
        diagnostics = optionDiagnostics;
        return optionDiagnostics.Any(d => d.IsError) ? null : options;
    }

    /// <summary><c>netstd:a,b=c</c> → (<c>netstd</c>, <c>a,b=c</c>).</summary>
    public static (string Language, string Options) SplitGenerator(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (spec, "") : (spec[..colon], spec[(colon + 1)..]);
    }
}
