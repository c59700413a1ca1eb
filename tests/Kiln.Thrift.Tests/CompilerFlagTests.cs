using Kiln.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.Thrift.Tests;

/// <summary>
/// thrift 0.17's checking flags (<c>-nowarn</c>, <c>-strict</c>, <c>--allow-neg-keys</c>,
/// <c>--allow-64bit-consts</c>) as <see cref="ThriftOptions"/>: what each changes in binding
/// and in what is reported. The expected lines are what thrift 0.17 printed for the same input.
/// </summary>
public class CompilerFlagTests
{
    private const string NonPositiveKeys = "struct S {\n  i32 a,\n  -3: i32 b,\n  0: i32 c,\n  i32 d,\n}\n";

    private static ThriftCompilation Compile(string text, ThriftOptions options) =>
        ThriftCompilation.Create(ThriftParser.Parse("a.thrift", text), (_, _) => null, options);

    private static string[] Messages(ThriftCompilation compilation) => [.. compilation.Diagnostics.Select(d => d.ToString())];

    [Fact]
    public void Without_allow_neg_keys_a_nonpositive_key_is_replaced_by_the_next_automatic_one()
    {
        var compilation = Compile(NonPositiveKeys, ThriftOptions.Default);
        Assert.Equal([(-1, true), (-2, true), (-3, true), (-4, true)], compilation.Root.Model.Structs[0].Fields.Select(f => (f.Id, f.IdAssigned)));
        Assert.Equal(
            [
                "a.thrift(2,7): warning KTH0029: No field key specified for a, resulting protocol may have conflicts or not be backwards compatible! (it gets -1)",
                "a.thrift(3,3): warning KTH0030: Nonpositive value (-3) not allowed as a field key.",
                "a.thrift(3,11): warning KTH0029: No field key specified for b, resulting protocol may have conflicts or not be backwards compatible! (it gets -2)",
                "a.thrift(4,3): warning KTH0030: Nonpositive value (0) not allowed as a field key.",
                "a.thrift(4,10): warning KTH0029: No field key specified for c, resulting protocol may have conflicts or not be backwards compatible! (it gets -3)",
                "a.thrift(5,7): warning KTH0029: No field key specified for d, resulting protocol may have conflicts or not be backwards compatible! (it gets -4)",
            ],
            Messages(compilation));
    }

    [Fact]
    public void Allow_neg_keys_keeps_the_keys_and_continues_automatic_keys_below_the_last_one()
    {
        // thrift 0.17 --allow-neg-keys: b keeps -3 (it would have got -2), c keeps 0 (it would have
        // got -4), and d, with no key, continues below c: -1.
        var compilation = Compile(NonPositiveKeys.Replace("  i32 d,\n", "", StringComparison.Ordinal), new ThriftOptions(AllowNegativeFieldKeys: true));
        Assert.Equal([(-1, true), (-3, false), (0, false)], compilation.Root.Model.Structs[0].Fields.Select(f => (f.Id, f.IdAssigned)));
        Assert.Equal(
            [
                "a.thrift(2,7): warning KTH0029: No field key specified for a, resulting protocol may have conflicts or not be backwards compatible! (it gets -1)",
                "a.thrift(3,3): warning KTH0084: Nonpositive field key (-3) differs from what would be auto-assigned by thrift (-2).",
                "a.thrift(4,3): warning KTH0084: Nonpositive field key (0) differs from what would be auto-assigned by thrift (-4).",
            ],
            Messages(compilation));
    }

    [Fact]
    public void Allow_neg_keys_is_quiet_when_the_key_is_the_one_thrift_would_assign_and_catches_collisions()
    {
        var quiet = Compile("struct S { -1: i32 a, -2: i32 b }\nservice Svc { void f(-1: i32 x, i32 y) }", new ThriftOptions(AllowNegativeFieldKeys: true));
        Assert.Equal(["a.thrift(2,37): warning KTH0029: No field key specified for y, resulting protocol may have conflicts or not be backwards compatible! (it gets -2)"], Messages(quiet));
        Assert.Equal([-1, -2], quiet.Root.Model.Services[0].Functions[0].Parameters.Select(p => p.Id));

        // After 0 the automatic key is -1 again, which a already has (thrift: "-1: d" - field identifier/name has already been used).
        var collision = Compile("struct S { -1: i32 a, 0: i32 c, i32 d }", new ThriftOptions(AllowNegativeFieldKeys: true));
        Assert.Contains("a.thrift(1,33): error KTH0055: \"-1: d\" - field identifier has already been used by \"a\".", Messages(collision));
    }

    [Fact]
    public void Strict_makes_every_implicit_key_an_error_and_allow_neg_keys_makes_explicit_negative_keys_legal()
    {
        var strict = Compile(NonPositiveKeys, new ThriftOptions(Strict: true, WarningLevel: ThriftOptions.StrictWarningLevel));
        Assert.True(strict.HasErrors);
        Assert.Equal(
            ["a.thrift(2,7): error KTH0083: Implicit field keys are deprecated and not allowed with -strict (a has no key).", "a.thrift(3,11): error KTH0083: Implicit field keys are deprecated and not allowed with -strict (b has no key).", "a.thrift(4,10): error KTH0083: Implicit field keys are deprecated and not allowed with -strict (c has no key).", "a.thrift(5,7): error KTH0083: Implicit field keys are deprecated and not allowed with -strict (d has no key)."],
            strict.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        Assert.Equal(4, strict.Diagnostics.Count(d => d.Code == "KTH0029")); // the warnings thrift prints first stay

        var both = Compile("struct S { -1: i32 a, 1: i32 b }", new ThriftOptions(Strict: true, AllowNegativeFieldKeys: true));
        Assert.False(both.HasErrors);
        Assert.False(Compile("struct S { 1: i32 a }\nservice Svc { void f(1: i32 x) throws (1: E e) }\nexception E {}", new ThriftOptions(Strict: true)).HasErrors);
    }

    [Fact]
    public void Strict_then_nowarn_is_still_strict_but_shows_no_warnings()
    {
        // thrift -strict -nowarn: the implicit key is an error, its warning is not printed.
        var compilation = Compile(NonPositiveKeys, new ThriftOptions(Strict: true, WarningLevel: ThriftOptions.NoWarningsLevel));
        Assert.NotEmpty(compilation.Diagnostics);
        Assert.All(compilation.Diagnostics, d => Assert.Equal("KTH0083", d.Code));
    }

    [Theory]
    [InlineData("2147483647", false)]
    [InlineData("-2147483648", false)]
    [InlineData("2147483648", true)]
    [InlineData("-2147483649", true)]
    [InlineData("0x7fffffffffffffff", true)]
    public void A_64_bit_constant_warns_outside_the_32_bit_range_unless_allowed(string literal, bool warns)
    {
        var text = $"const i64 C = {literal}\nconst list<i64> L = [{literal}]\nstruct S {{ 1: i64 x = {literal}, 2: map<i64, i64> m = {{ {literal}: {literal} }} }}\n";
        var warnings = Compile(text, ThriftOptions.Default).Diagnostics.Where(d => d.Code == "KTH0028").ToList();
        Assert.Equal(warns ? 5 : 0, warnings.Count);
        if (warns)
        {
            Assert.Equal($"64-bit constant \"{long.Parse(literal.StartsWith("0x", StringComparison.Ordinal) ? "9223372036854775807" : literal, System.Globalization.CultureInfo.InvariantCulture)}\" may not work in all languages.", warnings[0].Message);
        }

        Assert.Empty(Compile(text, new ThriftOptions(Allow64BitConstants: true)).Diagnostics);
    }

    [Fact]
    public void Nowarn_keeps_only_the_warnings_thrift_prints_at_level_zero()
    {
        const string text = "include \"missing.thrift\"\nnamespace foo bar\nservice S { async void f() }\nstruct T { 1: byte b, 2: list<byte> l, i64 c = 5000000000 }\nunion U { 1: required i32 a }\n";
        var normal = Compile(text, ThriftOptions.Default);
        Assert.Equal(["KTH0050", "KTH0077", "KTH0012", "KTH0011", "KTH0027", "KTH0029", "KTH0028", "KTH0075"], normal.Diagnostics.Select(d => d.Code));

        // thrift -nowarn still prints "Could not find include file" and "async is deprecated".
        var quiet = Compile(text, new ThriftOptions(WarningLevel: ThriftOptions.NoWarningsLevel));
        Assert.Equal(["KTH0050", "KTH0012"], quiet.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Nowarn_silences_kiln_s_own_warnings_too_but_never_an_error()
    {
        const string text = "const map<string, i32> M = { \"a\": 1, \"a\": 2 }\nstruct S { 1: Missing m }\n";
        Assert.Contains(Compile(text, ThriftOptions.Default).Diagnostics, d => d.Code == "KTH0081");
        var quiet = Compile(text, new ThriftOptions(WarningLevel: ThriftOptions.NoWarningsLevel));
        Assert.Equal(["KTH0052"], quiet.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Uncaptured_doc_comments_are_reported_only_at_the_strict_warning_level()
    {
        // The doc comments thrift 0.17 -strict reports ("Uncaptured doctext at on line N"), with
        // N the line where the comment ends: before a header, replaced by another doc comment
        // before anything took it, after the last field of a list, and at the end of the file.
        const string text =
            "/** program */\n" +                        // 1: dropped before the header
            "namespace netstd X\n" +                    // 2
            "/** a */ /** b */\n" +                     // 3: a is replaced by b, b by the next one
            "/**\n * multi\n * line\n */\n" +           // 4-7: taken by the enum
            "enum E {\n" +                              // 8
            "  /** e1 */ A, B /** trailing */\n" +      // 9: trailing is replaced by e2
            "  /** e2 */ C /** before close */\n" +     // 10: before close is replaced by the struct's doc
            "}\n" +                                     // 11
            "/** struct */\n" +                         // 12: taken by the struct
            "struct S {\n" +                            // 13
            "  1: i32 x /** carried */\n" +             // 14: still pending at '}': taken by the const
            "}\n" +                                     // 15
            "const i32 C = 1\n" +                       // 16
            "/** end */\n";                             // 17: dropped at the end of the file
        var strict = Compile(text, new ThriftOptions(Strict: true, WarningLevel: ThriftOptions.StrictWarningLevel));
        Assert.Equal(
            [
                "a.thrift(1,1): warning KTH0085: Uncaptured doctext on line 1: this doc comment documents nothing.",
                "a.thrift(3,1): warning KTH0085: Uncaptured doctext on line 3: this doc comment documents nothing.",
                "a.thrift(3,10): warning KTH0085: Uncaptured doctext on line 3: this doc comment documents nothing.",
                "a.thrift(9,18): warning KTH0085: Uncaptured doctext on line 9: this doc comment documents nothing.",
                "a.thrift(10,15): warning KTH0085: Uncaptured doctext on line 10: this doc comment documents nothing.",
                "a.thrift(17,1): warning KTH0085: Uncaptured doctext on line 17: this doc comment documents nothing.",
            ],
            Messages(strict));
        Assert.Empty(Compile(text, ThriftOptions.Default).Diagnostics);
    }

    [Fact]
    public void An_uncaptured_multi_line_doc_comment_names_the_line_where_it_ends()
    {
        var compilation = Compile("/**\n * About the file.\n */\ninclude \"x.thrift\"\n", new ThriftOptions(WarningLevel: ThriftOptions.StrictWarningLevel));
        var uncaptured = Assert.Single(compilation.Diagnostics, d => d.Code == "KTH0085");
        Assert.Equal((1, 1), (uncaptured.Line, uncaptured.Column));
        Assert.Contains("on line 3", uncaptured.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_ignores_the_flags_and_binding_options_compare_equal_when_only_reporting_differs()
    {
        // The parser reports every warning; the flags only filter. So parse(file) need not read them.
        var parsed = ThriftParser.Parse("a.thrift", "/** x */\ninclude \"b.thrift\"\nconst i64 C = 5000000000\n");
        Assert.Equal(["KTH0085", "KTH0028"], parsed.Diagnostics.Select(d => d.Code));

        Assert.Equal(ThriftOptions.Default.ForBinding(), new ThriftOptions(Allow64BitConstants: true, WarningLevel: 0).ForBinding());
        Assert.NotEqual(ThriftOptions.Default.ForBinding(), new ThriftOptions(Strict: true).ForBinding());
        Assert.NotEqual(ThriftOptions.Default.ForBinding(), new ThriftOptions(AllowNegativeFieldKeys: true).ForBinding());
    }

    [Fact]
    public void Every_warning_has_thrift_s_level_and_errors_are_always_reported()
    {
        Assert.Equal(0, ThriftDiagnostics.WarningLevel(ThriftDiagnostics.IncludeNotFound.Code));
        Assert.Equal(0, ThriftDiagnostics.WarningLevel(ThriftDiagnostics.AsyncDeprecated.Code));
        Assert.Equal(2, ThriftDiagnostics.WarningLevel(ThriftDiagnostics.UncapturedDocComment.Code));
        Assert.Equal(1, ThriftDiagnostics.WarningLevel(ThriftDiagnostics.NoFieldId.Code));
        var error = new Diagnostic(DiagnosticSeverity.Error, "KTH0052", "m", "a.thrift", 1, 1);
        Assert.True(new ThriftOptions(WarningLevel: -1).Reports(error));
    }
}
