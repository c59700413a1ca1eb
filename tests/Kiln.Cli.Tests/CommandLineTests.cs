namespace Kiln.Cli.Tests;

public class CommandLineTests
{
    [Fact]
    public void Version_prints_the_version_and_exits_zero()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(KilnCommandLine.Version, output.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void Help_describes_kiln_and_exits_zero()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Kiln", output, StringComparison.Ordinal);
        Assert.Contains("--version", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("no-such-command")]
    public void A_usage_error_names_what_was_wrong_and_exits_two(string argument)
    {
        var (code, _, error) = Run(argument);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains(argument, error, StringComparison.Ordinal);
        Assert.Contains("kiln --help", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KilnCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
