using Kiln.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.Thrift.Tests;

/// <summary>Compiles files from a folder as the driver will: includes relative to the including file (thrift's first search place).</summary>
internal static class TestFiles
{
    /// <summary>Compiles <paramref name="relativePath"/> under <paramref name="root"/>; diagnostics use paths relative to it.</summary>
    public static ThriftCompilation Compile(string root, string relativePath)
    {
        var parsed = ThriftParser.Parse(new SourceText(relativePath, File.ReadAllText(Path.Combine(root, relativePath))));
        return ThriftCompilation.Create(parsed, (include, from) =>
        {
            var directory = Path.GetDirectoryName(from) ?? "";
            var candidate = Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, directory, include))).Replace('\\', '/');
            var full = Path.Combine(root, candidate);
            return File.Exists(full) ? ThriftParser.Parse(new SourceText(candidate, File.ReadAllText(full))) : null;
        });
    }

    /// <summary>Compiles files given in memory, the first being the root.</summary>
    public static ThriftCompilation CompileInMemory(params (string Path, string Text)[] files)
    {
        var map = files.ToDictionary(file => file.Path, file => file.Text, StringComparer.Ordinal);
        var root = ThriftParser.Parse(files[0].Path, files[0].Text);
        return ThriftCompilation.Create(root, (include, from) =>
        {
            var directory = Path.GetDirectoryName(from) ?? "";
            var candidate = Path.Combine(directory, include).Replace('\\', '/');
            return map.TryGetValue(candidate, out var text) ? ThriftParser.Parse(candidate, text) : null;
        });
    }

    public static string[] Messages(this ThriftCompilation compilation) =>
        [.. compilation.Diagnostics.Select(diagnostic => diagnostic.ToString())];

    public static string[] Codes(this ThriftCompilation compilation) =>
        [.. compilation.Diagnostics.Select(diagnostic => diagnostic.Code)];
}
