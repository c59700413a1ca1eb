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
        foreach (var option in new[] { "-gen", "-out", "-o", "-I", "-r", "-v", "-nowarn", "-strict", "-allow-neg-keys", "-allow-64bit-consts", "-debug" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    private const string FlagsIdl = "namespace netstd Flags\nstruct S {\n  1: i32 a,\n  -3: i32 b,\n  i64 c = 5000000000,\n}\n";

    [Fact]
    public void Nowarn_hides_warnings_except_the_ones_thrift_always_prints()
    {
        var file = Write("flags.thrift", FlagsIdl);
        var (code, output, _) = Run("thrift", file);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("warning KTH0030", output, StringComparison.Ordinal);
        Assert.Contains("warning KTH0028", output, StringComparison.Ordinal);

        foreach (var spelling in new[] { "-nowarn", "--nowarn" })
        {
            (code, output, var error) = Run("thrift", spelling, file);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal("", output + error);
        }

        // thrift -nowarn still prints a missing include (and "async").
        var withInclude = Write("include.thrift", "include \"missing.thrift\"\nstruct T { i32 x }\n");
        (code, output, _) = Run("thrift", "-nowarn", withInclude);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(["KTH0050"], Codes(output));
    }

    [Fact]
    public void Strict_makes_an_implicit_field_key_an_error_and_the_later_of_nowarn_and_strict_sets_the_warnings()
    {
        var file = Write("flags.thrift", FlagsIdl);
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = Run("thrift", "-strict", "--gen", "netstd", "-out", output, file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains("flags.thrift(4,11): error KTH0083: Implicit field keys are deprecated and not allowed with -strict (b has no key).", stderr, StringComparison.Ordinal);
        Assert.Contains("flags.thrift(5,7): error KTH0083:", stderr, StringComparison.Ordinal);
        Assert.Contains("warning KTH0029", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output)); // nothing is generated

        // thrift -strict -nowarn: still strict, no warnings; -nowarn -strict: strict with its warnings.
        (code, stdout, stderr) = Run("thrift", "-strict", "-nowarn", file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Equal("", stdout);
        Assert.Equal(["KTH0083", "KTH0083"], Codes(stderr));
        (code, stdout, _) = Run("thrift", "-nowarn", "--strict", file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains("warning KTH0029", stdout, StringComparison.Ordinal);

        // Strict's warning level also reports doc comments that document nothing.
        var docs = Write("docs.thrift", "/** About the file. */\nnamespace netstd D\nstruct T { 1: i32 x }\n");
        (code, stdout, _) = Run("thrift", "-strict", docs);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("docs.thrift(1,1): warning KTH0085: Uncaptured doctext on line 1: this doc comment documents nothing." + Environment.NewLine, Relative(stdout));
        (code, stdout, _) = Run("thrift", docs);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Allow_neg_keys_keeps_negative_keys_in_the_generated_code()
    {
        var file = Write("flags.thrift", FlagsIdl.Replace("  i64 c = 5000000000,\n", "", StringComparison.Ordinal));
        var output = Path.Combine(_dir, "out");
        var (code, stdout, _) = Run("thrift", "--gen", "netstd", "-out", output, file);
        Assert.Equal(ExitCodes.Success, code);
        var generated = File.ReadAllText(Path.Combine(output, "Flags", "S.cs"));
        Assert.Contains("case -1:", generated, StringComparison.Ordinal); // b's key was replaced
        Assert.DoesNotContain("case -3:", generated, StringComparison.Ordinal);

        foreach (var spelling in new[] { "--allow-neg-keys", "-allow-neg-keys" })
        {
            (code, stdout, _) = Run("thrift", spelling, "--gen", "netstd", "-out", output, file);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("flags.thrift(4,3): warning KTH0084: Nonpositive field key (-3) differs from what would be auto-assigned by thrift (-1).", stdout, StringComparison.Ordinal);
            generated = File.ReadAllText(Path.Combine(output, "Flags", "S.cs"));
            Assert.Contains("case -3:", generated, StringComparison.Ordinal);
            Assert.Contains("ID = -3;", generated, StringComparison.Ordinal);
            Assert.DoesNotContain("case -1:", generated, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Allow_64bit_consts_silences_only_the_64_bit_constant_warning()
    {
        var file = Write("flags.thrift", FlagsIdl);
        foreach (var spelling in new[] { "--allow-64bit-consts", "-allow-64bit-consts" })
        {
            var (code, stdout, _) = Run("thrift", spelling, file);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal(["KTH0030", "KTH0029", "KTH0029"], Codes(stdout));
        }
    }

    [Fact]
    public void Debug_prints_a_trace_to_stdout_and_changes_nothing_else()
    {
        var file = Write("ok.thrift", "struct Point { 1: i32 x }\n");
        foreach (var spelling in new[] { "-debug", "--debug" })
        {
            var (code, stdout, stderr) = Run("thrift", spelling, "-nowarn", file);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal("", stderr);
            Assert.StartsWith("debug: flags strict=off allow-neg-keys=off allow-64bit-consts=off warning-level=0", stdout, StringComparison.Ordinal);
            Assert.Contains("debug: query parse: ran 1", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verbose_says_what_is_read_and_written()
    {
        Write("shared.thrift", "struct Shared { 1: i32 key }\n");
        var main = Write("main.thrift", "include \"shared.thrift\"\nstruct Main { 1: shared.Shared s }\n");
        var output = Path.Combine(_dir, "out");
        foreach (var spelling in new[] { "-v", "-verbose", "--verbose" })
        {
            var (code, stdout, _) = Run("thrift", spelling, "--gen", "netstd", "-out", output, main);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("main.thrift", stdout.Split(Environment.NewLine)[0], StringComparison.Ordinal);
            Assert.Matches("(?m)^read .*shared\\.thrift$", stdout);
            Assert.Matches("(?m)^(wrote|unchanged) .*Main\\.cs$", stdout);
        }
    }

    private static string[] Codes(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, "KTH[0-9]{4}").Select(match => match.Value)];

    private string Relative(string text) => text.Replace(_dir + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);

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
