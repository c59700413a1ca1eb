using Kiln.CSharp.Netstd;
using Kiln.Thrift;
using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Tests;

/// <summary>
/// Builds Thrift models from in-memory text: the first file is the root, the others are what it
/// may include (by the path as written). Fails the test on any front-end error.
/// </summary>
internal static class ThriftFixture
{
    public static ThriftCompilation Bind(string path, string text, params (string Path, string Text)[] others)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { [path] = text };
        foreach (var (otherPath, otherText) in others)
        {
            files[otherPath] = otherText;
        }

        var compilation = ThriftBinder.Bind(
            ThriftParser.Parse(path, text),
            (include, _) => files.TryGetValue(include, out var included) ? ThriftParser.Parse(include, included) : null);
        var errors = compilation.Diagnostics.Where(diagnostic => diagnostic.IsError).ToList();
        Assert.True(errors.Count == 0, "front-end errors:\n" + string.Join("\n", errors));
        return compilation;
    }

    /// <summary>Generates every file of a compilation (includes too), failing on any error.</summary>
    public static IReadOnlyList<GeneratedFile> GenerateAll(ThriftCompilation compilation, NetstdOptions? options = null)
    {
        var files = new List<GeneratedFile>();
        foreach (var path in compilation.FilesInBindOrder)
        {
            var result = Generate(compilation, path, options);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            files.AddRange(result.Files);
        }

        return files;
    }

    public static NetstdGeneratorResult Generate(ThriftCompilation compilation, string path, NetstdOptions? options = null) =>
        NetstdGenerator.Generate(
            compilation.GetBoundFile(path).Model,
            other => compilation.FilesInBindOrder.Contains(other) ? compilation.GetBoundFile(other).Model : null,
            options ?? NetstdOptions.Default);
}
