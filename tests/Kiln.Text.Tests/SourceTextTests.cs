using Kiln.Text;

namespace Kiln.Text.Tests;

public class SourceTextTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(2, 1, 3)]
    [InlineData(3, 2, 1)]
    [InlineData(6, 3, 1)]
    [InlineData(7, 3, 2)]
    [InlineData(8, 4, 1)]
    public void Offsets_map_to_one_based_lines_and_columns_across_all_line_breaks(int offset, int line, int column)
    {
        var text = new SourceText("a.thrift", "ab\nc\r\nd\re");
        Assert.Equal(new LinePosition(line, column), text.GetLinePosition(offset));
    }

    [Fact]
    public void Line_text_excludes_the_line_break()
    {
        var text = new SourceText("a.thrift", "first\r\nsecond\nthird");
        Assert.Equal("first", text.GetLineText(1).ToString());
        Assert.Equal("second", text.GetLineText(2).ToString());
        Assert.Equal("third", text.GetLineText(3).ToString());
    }

    [Fact]
    public void Diagnostics_print_in_the_msbuild_shape_and_the_protoc_shape()
    {
        var text = new SourceText("dir/a.proto", "message A {\n  int32 x = 0;\n}\n");
        var descriptor = new DiagnosticDescriptor("KPB0001", DiagnosticSeverity.Error, "Field numbers must be positive, not {0}.");
        var diagnostic = descriptor.At(text, text.Text.IndexOf('0', StringComparison.Ordinal), 0);
        Assert.Equal("dir/a.proto(2,13): error KPB0001: Field numbers must be positive, not 0.", diagnostic.ToMSBuildFormat());
        Assert.Equal("dir/a.proto:2:13: Field numbers must be positive, not 0.", diagnostic.ToProtocFormat());
    }

    [Fact]
    public void Diagnostics_about_a_whole_file_have_no_position()
    {
        var descriptor = new DiagnosticDescriptor("KLN0002", DiagnosticSeverity.Error, "Cannot read {0}.");
        Assert.Equal("a.thrift: error KLN0002: Cannot read a.thrift.", descriptor.ForFile("a.thrift", "a.thrift").ToMSBuildFormat());
    }
}
