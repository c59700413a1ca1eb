namespace Kiln.Cli.Tests;

public sealed class ThriftCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kiln-cli-tests", Guid.NewGuid().ToString("N"));

    public ThriftCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_valid_file_checks_clean_and_exits_zero()
    {
        var file = Write("ok.thrift", "struct Point { 1: i32 x, 2: i32 y }\n");
        var (code, output, error) = Run("thrift", file);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", output + error);
    }

    [Fact]
    public void Errors_print_in_the_msbuild_shape_and_exit_one()
    {
        var file = Write("bad.thrift", "struct Point {\n  1: Missing x\n}\n");
        var (code, _, error) = Run("thrift", file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Matches(@"bad\.thrift\(2,6\): error KTH\d{4}: .*Missing", error);
    }

    [Fact]
    public void A_missing_file_is_an_io_error_and_exits_two()
    {
        var (code, _, error) = Run("thrift", Path.Combine(_dir, "absent.thrift"));
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("error KLN0002", error, StringComparison.Ordinal);
        Assert.Contains("absent.thrift", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_generator_is_a_usage_error_that_lists_the_known_ones()
    {
        var file = Write("ok.thrift", "struct Point { 1: i32 x }\n");
        var (code, _, error) = Run("thrift", "--gen", "cobol", file);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("Unknown generator 'cobol'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_and_o_together_are_a_usage_error()
    {
        var file = Write("ok.thrift", "struct Point { 1: i32 x }\n");
        var (code, _, error) = Run("thrift", "-out", _dir, "-o", _dir, file);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("-out and -o", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_explains_every_option()
    {
        var (code, output, _) = Run("thrift", "--help");
        Assert.Equal(ExitCodes.Success, code);
        foreach (var option in new[] { "-gen", "-out", "-o", "-I", "-r", "-v" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KilnCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
