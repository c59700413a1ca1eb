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
public sealed record ThriftBuildRequest(
    IReadOnlyList<string> Files,
    IReadOnlyList<string> IncludeDirectories,
    IReadOnlyList<string> Generators,
    string? OutputDirectory,
    string? GenPackagesDirectory,
    bool Recursive,
    bool Verbose);

/// <summary>What a build did: every diagnostic (in a stable order), the files written and those left unchanged.</summary>
public sealed record ThriftBuildResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// One <c>kiln thrift</c> run: load the roots and their includes into a <see cref="ThriftWorkspace"/>,
/// bind everything in parallel, report diagnostics, and generate code for the roots (and with
/// <c>-r</c>, their includes) when no file has errors.
/// </summary>
public static class ThriftBuild
{
    public static ThriftBuildResult Run(ThriftBuildRequest request, IThriftGenerator? generator)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new List<Diagnostic>();
        var workspace = new ThriftWorkspace(request.IncludeDirectories);
        var roots = workspace.Load(request.Files);
        workspace.BindAll();

        // Diagnostics: each file once, roots first, then includes by path.
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

            diagnostics.AddRange(workspace.Parse.Get(workspace.Database, path).Diagnostics);
            diagnostics.AddRange(workspace.Bind.Get(workspace.Database, path).Diagnostics);
        }

        var written = new List<string>();
        var unchanged = new List<string>();
        if (request.Generators.Count == 0 || diagnostics.Any(d => d.IsError))
        {
            return new ThriftBuildResult(diagnostics, written, unchanged);
        }

        if (generator is null)
        {
            throw new InvalidOperationException("Code generation was asked for but no generator was given.");
        }

        var targets = new List<string>(roots);
        if (request.Recursive)
        {
            foreach (var root in roots)
            {
                foreach (var included in workspace.IncludedFiles(root))
                {
                    if (!targets.Contains(included))
                    {
                        targets.Add(included);
                    }
                }
            }
        }

        foreach (var spec in request.Generators)
        {
            var (language, options) = SplitGenerator(spec);
            var outputRoot = request.OutputDirectory
                ?? Path.Combine(request.GenPackagesDirectory ?? ".", $"gen-{language}");
            var generated = new List<(string Path, string Text)>();
            var lockObject = new Lock();
            var generatorDiagnostics = new List<Diagnostic>();
            Parallel.ForEach(targets, target =>
            {
                var model = workspace.Bind.Get(workspace.Database, target).Model;
                var output = generator.Generate(language, options, model, path => ModelOf(workspace, path));
                lock (lockObject)
                {
                    generatorDiagnostics.AddRange(output.Diagnostics);
                    generated.AddRange(output.Files);
                }
            });
            diagnostics.AddRange(generatorDiagnostics.Distinct());
            if (generatorDiagnostics.Any(d => d.IsError))
            {
                continue;
            }

            foreach (var (relative, text) in generated.OrderBy(g => g.Path, StringComparer.Ordinal))
            {
                var full = OutputWriter.ContainedPath(outputRoot, relative);
                if (full is null)
                {
                    diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(relative, relative, "the path leaves the output folder"));
                    continue;
                }

                try
                {
                    (OutputWriter.WriteIfChanged(full, text) ? written : unchanged).Add(full);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    diagnostics.Add(BuildDiagnostics.CannotWrite.ForFile(full, full, e.Message));
                }
            }
        }

        return new ThriftBuildResult(diagnostics, written, unchanged);
    }

    private static Kiln.Thrift.Semantics.ThriftFileModel? ModelOf(ThriftWorkspace workspace, string modelPath)
    {
        var full = Path.GetFullPath(modelPath);
        return workspace.Files.Contains(full) ? workspace.Bind.Get(workspace.Database, full).Model : null;
    }

    /// <summary><c>netstd:a,b=c</c> → (<c>netstd</c>, <c>a,b=c</c>).</summary>
    public static (string Language, string Options) SplitGenerator(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (spec, "") : (spec[..colon], spec[(colon + 1)..]);
    }
}

/// <summary>What the driver needs of a code generator; <c>Kiln.CSharp</c>'s netstd generator is the one there is.</summary>
public interface IThriftGenerator
{
    /// <summary>Languages (the part of <c>--gen</c> before the colon) this generator knows.</summary>
    IReadOnlyList<string> Languages { get; }

    GeneratorOutput Generate(string language, string options, Kiln.Thrift.Semantics.ThriftFileModel file, Func<string, Kiln.Thrift.Semantics.ThriftFileModel?> modelOf);
}

/// <summary>Generated files (paths relative to the output folder) and diagnostics.</summary>
public sealed record GeneratorOutput(IReadOnlyList<(string Path, string Text)> Files, IReadOnlyList<Diagnostic> Diagnostics);
