namespace Kiln.CSharp.Tests;

public sealed class GoldenTests
{
    public static TheoryData<string> Cases() => [.. TestCase.Names()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_the_expected_file_beside_the_idl(string name)
    {
        var actual = TestCase.Load(name).GenerateRootText();
        GoldenFiles.Check(Path.Combine(GoldenFiles.Directory, name + ".generated.txt"), actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_compiles_without_warnings_against_ApacheThrift(string name)
    {
        var files = TestCase.Load(name).GenerateAll();
        var output = RoslynCompiler.Compile("Compile_" + name, files, load: false);
        Assert.True(output.IsClean, output.Describe());
    }

    [Fact]
    public void Generating_twice_gives_equal_results_so_an_engine_query_can_cut_off_early()
    {
        var first = TestCase.Load("Kinds");
        var second = TestCase.Load("Kinds");
        var a = ThriftFixture.Generate(first.Compilation, first.Compilation.RootPath, first.Options);
        var b = ThriftFixture.Generate(second.Compilation, second.Compilation.RootPath, second.Options);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(first.GenerateRootText(), second.GenerateRootText());
    }
}
