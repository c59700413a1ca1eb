using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// Compiles C# in memory against the runtime and <c>ApacheThrift</c> at the strictest warning
/// level (nullable context off, as thrift's netstd output expects by default).
/// </summary>
internal static class Roslyn
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> PlatformReferences = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToHashSet(StringComparer.Ordinal);
        paths.Add(typeof(global::Thrift.Protocol.TProtocol).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location);
        return [.. paths.Where(File.Exists).Order(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    });

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>A compilation's outcome: its diagnostics and, when it succeeded, the image.</summary>
    public sealed record Output(CSharpCompilation Compilation, ImmutableArray<Diagnostic> Diagnostics, byte[]? Image)
    {
        public IEnumerable<Diagnostic> Problems => Diagnostics.Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning);

        public bool IsClean => !Problems.Any();

        /// <summary>Warnings and errors with the line each points at, ready to read in a failed assertion.</summary>
        public string Describe(int max = 20)
        {
            var problems = Problems.ToList();
            var lines = problems.Take(max).Select(diagnostic =>
            {
                var span = diagnostic.Location.GetLineSpan();
                var text = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
                return $"  {diagnostic}\n      {text}";
            });
            return $"{problems.Count(p => p.Severity == DiagnosticSeverity.Error)} errors, {problems.Count(p => p.Severity == DiagnosticSeverity.Warning)} warnings:\n" + string.Join("\n", lines);
        }
    }

    /// <summary>Diagnostics only, without emitting: for code that is built but never run.</summary>
    public static Output Check(string assemblyName, IEnumerable<SourceFile> files)
    {
        var compilation = Create(assemblyName, files, []);
        return new Output(compilation, compilation.GetDiagnostics(), null);
    }

    public static Output Compile(string assemblyName, IEnumerable<SourceFile> files, params MetadataReference[] extraReferences)
    {
        var compilation = Create(assemblyName, files, extraReferences);
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        return new Output(compilation, emit.Diagnostics, emit.Success ? stream.ToArray() : null);
    }

    private static CSharpCompilation Create(string assemblyName, IEnumerable<SourceFile> files, MetadataReference[] extraReferences)
    {
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, ParseOptions, file.Path));
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            PlatformReferences.Value.AddRange(extraReferences),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                warningLevel: 9999,
                nullableContextOptions: NullableContextOptions.Disable,
                concurrentBuild: true,
                deterministic: true));
    }
}

/// <summary>
/// An isolated load context for one generated tree and the code compiled against it, so that
/// Kiln's and thrift's types (same names) live side by side. <c>ApacheThrift</c> and the BCL come
/// from the default context, so <c>TBase</c>, <c>TProtocol</c>... are shared.
/// </summary>
internal sealed class IsolatedContext(string name) : AssemblyLoadContext(name)
{
    private readonly Dictionary<string, Assembly> loaded = new(StringComparer.Ordinal);

    public Assembly Add(byte[] image)
    {
        using var stream = new MemoryStream(image);
        var assembly = LoadFromStream(stream);
        lock (loaded)
        {
            loaded[assembly.GetName().Name!] = assembly;
        }

        return assembly;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        lock (loaded)
        {
            return loaded.GetValueOrDefault(assemblyName.Name!);
        }
    }
}
