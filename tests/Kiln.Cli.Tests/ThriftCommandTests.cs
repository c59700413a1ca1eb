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
    public void Generation_writes_netstd_files_and_a_second_run_leaves_them_untouched()
    {
        Write("shared.thrift", "namespace netstd Demo.Shared\nstruct Shared { 1: i32 key }\n");
        var main = Write("main.thrift", "include \"shared.thrift\"\nnamespace netstd Demo.Main\nstruct Main { 1: shared.Shared s }\nservice Api { Main get(1: i32 id) }\n");
        var output = Path.Combine(_dir, "out");

        var (code, _, error) = Run("thrift", "--gen", "netstd", "-r", "-out", output, main);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", error);
        var mainStruct = Path.Combine(output, "Demo", "Main", "Main.cs");
        Assert.True(File.Exists(mainStruct));
        Assert.True(File.Exists(Path.Combine(output, "Demo", "Main", "Api.cs")));
        Assert.True(File.Exists(Path.Combine(output, "Demo", "Shared", "Shared.cs"))); // -r
        Assert.Contains("public partial class Main : TBase", File.ReadAllText(mainStruct), StringComparison.Ordinal);

        var stamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(mainStruct, stamp);
        (code, _, _) = Run("thrift", "--gen", "netstd", "-r", "-out", output, main);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(mainStruct));
    }

    [Fact]
    public void Without_r_only_the_named_file_is_generated_and_o_adds_the_gen_netstd_folder()
    {
        Write("shared.thrift", "namespace netstd Demo.Shared\nstruct Shared { 1: i32 key }\n");
        var main = Write("main.thrift", "include \"shared.thrift\"\nnamespace netstd Demo.Main\nstruct Main { 1: shared.Shared s }\n");
        var (code, _, _) = Run("thrift", "--gen", "netstd", "-o", _dir, main);
        Assert.Equal(ExitCodes.Success, code);
        Assert.True(File.Exists(Path.Combine(_dir, "gen-netstd", "Demo", "Main", "Main.cs")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "gen-netstd", "Demo", "Shared")));
    }

    [Fact]
    public void An_unknown_generator_option_is_a_usage_error_that_lists_the_valid_ones()
    {
        var file = Write("ok.thrift", "struct Point { 1: i32 x }\n");
        var (code, _, error) = Run("thrift", "--gen", "netstd:bogus", file);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("bogus", error, StringComparison.Ordinal);
        Assert.Contains("async_postfix", error, StringComparison.Ordinal);
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
