using System.Text.RegularExpressions;
using Kiln.CSharp.Netstd;
using Kiln.Text;

namespace Kiln.CSharp.Tests;

public sealed partial class OptionsAndDiagnosticsTests
{
    [Theory]
    [InlineData("netstd", "netstd")]
    [InlineData("", "netstd")]
    [InlineData("netstd:union,pascal", "netstd:union,pascal")]
    [InlineData("async_postfix,no_deepcopy", "netstd:no_deepcopy,async_postfix")]
    [InlineData("netstd:wcf,serial,union,pascal,net6,no_deepcopy,async_postfix", "netstd:wcf,serial,union,pascal,net6,no_deepcopy,async_postfix")]
    [InlineData("netstd:union=1", "netstd:union")]
    public void Every_option_thrift_0_17_lists_is_accepted(string text, string expected)
    {
        var options = NetstdOptions.Parse(text, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(expected, options.ToString());
    }

    [Fact]
    public void An_unknown_option_is_an_error_that_lists_the_valid_ones()
    {
        var options = NetstdOptions.Parse("netstd:union,foo,bar", out var diagnostics);
        Assert.True(options.Union);
        Assert.Equal(["KCS0001", "KCS0001"], diagnostics.Select(diagnostic => diagnostic.Code));
        Assert.All(diagnostics, diagnostic => Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity));
        Assert.Equal(
            "Unknown option netstd:foo. Valid options: wcf, serial, union, pascal, net6, no_deepcopy, async_postfix.",
            diagnostics[0].Message);
    }

    [Fact]
    public void Options_not_implemented_yet_are_reported_as_warnings()
    {
        var compilation = ThriftFixture.Bind("a.thrift", "struct A { 1: i32 x }");
        var result = ThriftFixture.Generate(compilation, "a.thrift", NetstdOptions.Parse("wcf,serial,net6", out _));
        Assert.False(result.HasErrors);
        Assert.Equal(["KCS0002", "KCS0002", "KCS0002"], result.Diagnostics.Select(diagnostic => diagnostic.Code));
        Assert.Single(result.Files);
    }

    [Fact]
    public void Every_diagnostic_code_is_unique_and_every_message_is_filled()
    {
        var codes = CSharpDiagnostics.All.Select(descriptor => descriptor.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(CSharpDiagnostics.All, descriptor =>
        {
            Assert.Matches("^KCS[0-9]{4}$", descriptor.Code);
            var holes = Holes().Matches(descriptor.MessageFormat).Count;
            var message = descriptor.Format([.. Enumerable.Range(0, holes).Select(i => (object?)("arg" + i))]);
            Assert.DoesNotMatch(Holes(), message);
        });
    }

    [Theory]
    [InlineData("namespace netstd a.b.c", "a/b/c/A.cs")]
    [InlineData("namespace * x_y", "x_y/A.cs")]
    [InlineData("", "A.cs")]
    public void Output_paths_follow_the_namespace_as_thrift_writes_them(string header, string expected)
    {
        var compilation = ThriftFixture.Bind("a.thrift", header + "\nstruct A { 1: i32 x }");
        var result = ThriftFixture.Generate(compilation, "a.thrift");
        Assert.Equal([expected], result.Files.Select(file => file.Path));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("a.$b")]
    [InlineData("..")]
    public void A_namespace_that_could_leave_the_output_folder_is_rejected(string ns)
    {
        var model = ThriftFixture.Bind("a.thrift", "struct A { 1: i32 x }").Root.Model with { NetstdNamespace = ns };
        var result = NetstdGenerator.Generate(model, _ => null, NetstdOptions.Default);
        Assert.Empty(result.Files);
        Assert.Equal("KCS0020", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Constants_and_extensions_get_files_named_after_the_program()
    {
        var compilation = ThriftFixture.Bind("my.types.thrift", "namespace netstd N\nconst i32 X = 1\nstruct S { 1: list<i32> xs }");
        var result = ThriftFixture.Generate(compilation, "my.types.thrift");
        Assert.Equal(["N/S.cs", "N/my.types.Constants.cs", "N/my.types.Extensions.cs"], result.Files.Select(file => file.Path));
        Assert.Contains("public static class my_typesConstants", result.Files[1].Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex Holes();
}
