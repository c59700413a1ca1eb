using Kiln.Build.Workspace;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Kiln.Build.Tests;

/// <summary>
/// <see cref="KilnConfig.Expand"/> lists folders itself and matches in memory; it must select what
/// the globbing library's own walk of the disk selects, minus files in output and cache folders.
/// </summary>
public sealed class KilnConfigExpandTests : IDisposable
{
    private readonly TempTree _tree = new(
        ("a.proto", ""),
        ("protos/x.proto", ""),
        ("protos/sub/y.proto", ""),
        ("protos/sub/deeper/z.proto", ""),
        ("protos/sub/deeper/z.txt", ""),
        ("protos/.hidden/h.proto", ""),
        ("protos/gen/out.proto", ""),
        ("other/w.proto", ""),
        ("other/skip/v.proto", ""),
        (".kiln/cache/c.proto", ""),
        (".kiln/s.proto", ""));

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("**/*.proto")]
    [InlineData("protos/*.proto")]
    [InlineData("protos/**/*.proto")]
    [InlineData("protos/*/y.proto")]
    [InlineData("protos/sub/deeper/z.proto")]
    [InlineData("./protos/**/*.proto")]
    [InlineData("*.proto|other/**/*.proto")]
    [InlineData("protos/**/*.proto|other/**/*.proto", "other/skip/**")]
    [InlineData("missing/**/*.proto")]
    [InlineData("**/deeper/*")]
    public void Selects_what_the_globbing_walk_selects(string includes, string excludes = "")
    {
        string[] include = includes.Split('|');
        string[] exclude = excludes.Length == 0 ? [] : excludes.Split('|');
        var output = Path.Combine(_tree.Root, "protos", "gen");
        var config = new KilnConfig(_tree.Root, null, null, new ThriftConfig(["x"], [], [], new GeneratorConfig(output, "")), Path.Combine(_tree.Root, ".kiln", "cache"), Path.Combine(_tree.Root, ".kiln", "state"));

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(include);
        matcher.AddExcludePatterns(exclude);
        var expected = matcher.GetResultsInFullPath(_tree.Root).Select(Path.GetFullPath)
            .Where(p => !p.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !p.StartsWith(Path.Combine(_tree.Root, ".kiln") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, config.Expand(include, exclude));
    }
}
