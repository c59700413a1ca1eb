namespace Kiln.ThriftInterop.Tests;

/// <summary>ThriftTest.thrift through both generators: Kiln's output builds without any warning, into the same files as thrift's.</summary>
public sealed class ThriftTestBuildTests(ThriftTestTrees trees)
{
    [Fact]
    public void Kiln_output_for_ThriftTest_builds_with_no_errors_and_no_warnings()
    {
        Assert.True(trees.Kiln.Output.IsClean, trees.Kiln.Output.Describe());
    }

    [Fact]
    public void Kiln_and_thrift_generate_the_same_file_names_for_ThriftTest()
    {
        Assert.Equal(trees.Thrift.Files.Select(file => file.Path), trees.Kiln.Files.Select(file => file.Path));
    }
}
