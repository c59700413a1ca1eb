using System.Text;
using Kiln.CSharp.Netstd;
using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Tests;

/// <summary>
/// One <c>TestData/*.thrift</c> case: its includes come from the same folder, and a first line
/// <c>// kiln-options: netstd:opt1,opt2</c> picks generator options.
/// </summary>
internal sealed record TestCase(string Name, ThriftCompilation Compilation, NetstdOptions Options)
{
    public static IEnumerable<string> Names() => Directory.GetFiles(GoldenFiles.Directory, "*.thrift")
        .Select(Path.GetFileNameWithoutExtension)
        .Order(StringComparer.Ordinal)!;

    public static TestCase Load(string name)
    {
        var directory = GoldenFiles.Directory;
        var text = File.ReadAllText(Path.Combine(directory, name + ".thrift"));
        var others = Directory.GetFiles(directory, "*.thrift")
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))
            .ToArray();
        var compilation = ThriftFixture.Bind(name + ".thrift", text, others);
        return new TestCase(name, compilation, ParseOptions(text));
    }

    /// <summary>The root file's generated files, as one text: each file after a <c>// ---- path ----</c> line.</summary>
    public string GenerateRootText()
    {
        var result = ThriftFixture.Generate(Compilation, Compilation.RootPath, Options);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var text = new StringBuilder();
        foreach (var file in result.Files)
        {
            text.Append("// ---- ").Append(file.Path).Append(" ----\n").Append(file.Text);
        }

        return text.ToString();
    }

    /// <summary>The generated files of the root and every file it includes.</summary>
    public IReadOnlyList<GeneratedFile> GenerateAll() => ThriftFixture.GenerateAll(Compilation, Options);

    private static NetstdOptions ParseOptions(string text)
    {
        const string Marker = "// kiln-options:";
        var firstLine = text.Split('\n')[0].Trim();
        if (!firstLine.StartsWith(Marker, StringComparison.Ordinal))
        {
            return NetstdOptions.Default;
        }

        var options = NetstdOptions.Parse(firstLine[Marker.Length..].Trim(), out var diagnostics);
        Assert.Empty(diagnostics);
        return options;
    }
}
