using System.Collections.Immutable;
using System.Reflection;
using Kiln.CSharp.Netstd;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kiln.CSharp.Tests;

/// <summary>Compiles generated C# in memory against the runtime and <c>ApacheThrift</c>, at the strictest warning level.</summary>
internal static class RoslynCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToHashSet(StringComparer.Ordinal);
        paths.Add(typeof(global::Thrift.Protocol.TProtocol).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location);
        paths.Add(typeof(System.ServiceModel.ServiceContractAttribute).Assembly.Location); // the wcf option's attributes
        return [.. paths.Where(File.Exists).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    });

    public sealed record Output(Assembly? Assembly, ImmutableArray<Diagnostic> Diagnostics)
    {
        /// <summary>Warnings and errors, each with the line it points at, ready to read in a failed assertion.</summary>
        public string Describe(int max = 30) => string.Join("\n", Diagnostics
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
            .Take(max)
            .Select(diagnostic =>
            {
                var span = diagnostic.Location.GetLineSpan();
                var text = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
                return $"{diagnostic}\n      {text}";
            }));

        public bool IsClean => !Diagnostics.Any(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning);
    }

    public static Output Compile(string assemblyName, IEnumerable<GeneratedFile> files, bool load = true)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var all = files.ToList();
        var trees = all.Select(file => CSharpSyntaxTree.ParseText(file.Text, parseOptions, file.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, warningLevel: 9999, nullableContextOptions: NullableContextOptions.Disable));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        var diagnostics = emit.Diagnostics;
        if (!emit.Success || !load)
        {
            return new Output(null, diagnostics);
        }

        return new Output(Assembly.Load(stream.ToArray()), diagnostics);
    }
}
