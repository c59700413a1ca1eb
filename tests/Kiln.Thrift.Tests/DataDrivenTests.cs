namespace Kiln.Thrift.Tests;

/// <summary>
/// Each <c>TestData/*.thrift</c> is compiled (with its includes); its diagnostics, as users see
/// them, must equal <c>*.diag</c>, its syntax tree <c>*.tree</c> and its resolved model <c>*.model</c>. <c>KILN_UPDATE=1</c> rewrites both.
/// </summary>
public class DataDrivenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Golden.TestDataDirectory, "*.thrift").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_and_tree_match_the_expected_files(string file)
    {
        var compilation = TestFiles.Compile(Golden.TestDataDirectory, file);
        var diagnostics = string.Concat(compilation.Diagnostics.Select(diagnostic => diagnostic + "\n"));
        var stem = Path.Combine(Golden.TestDataDirectory, Path.GetFileNameWithoutExtension(file));
        Golden.Check(stem + ".diag", diagnostics);
        Golden.Check(stem + ".tree", TreeDump.Dump(compilation.GetParsedFile(file).Syntax));
        Golden.Check(stem + ".model", TreeDump.Dump(compilation.Root.Model));
    }
}
