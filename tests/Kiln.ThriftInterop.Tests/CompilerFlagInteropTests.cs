using System.Text.RegularExpressions;
using Kiln.Build;
using Kiln.Thrift;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// thrift 0.17's checking flags (<c>-nowarn</c>, <c>-strict</c>, <c>--allow-neg-keys</c>,
/// <c>--allow-64bit-consts</c>) against the real compiler: for each input and flags, thrift and
/// Kiln agree on success, on the warnings printed (their kind, and for uncaptured doc comments
/// the line thrift names), and on the field keys in the generated code.
/// </summary>
public sealed partial class CompilerFlagInteropTests : IDisposable
{
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["keys.thrift"] =
            "namespace netstd Keys\nstruct S {\n  i32 a,\n  -3: i32 b,\n  0: i32 c,\n  7: i64 d = 5000000000,\n}\n" +
            "const i64 BIG = -2147483649\nconst i64 OK = -2147483648\nconst list<i64> L = [2147483648]\n",
        ["negative.thrift"] =
            "namespace netstd Negative\nexception Ex { -3: string msg }\nstruct S {\n  -1: i32 a,\n  -2: string b,\n  0: i64 c,\n  7: i32 e,\n}\n" +
            "service Svc {\n  void f(-1: i32 x, -5: i32 y, i32 z) throws (-4: Ex ex)\n}\n",
        ["docs.thrift"] =
            "/** program */\nnamespace netstd Docs\n/** a */ /** b */\n/**\n * multi\n * line\n */\nenum E {\n  /** e1 */ A, B /** trailing */\n" +
            "  /** e2 */ C /** before close */\n}\n/** struct */\nstruct S {\n  1: i32 x /** carried */\n}\nconst i32 C = 1\nexception X {}\n" +
            "service Svc {\n  /** fn */ void f(/** arg */ 1: i32 a /** after */) throws (/** t */ 1: X ex /** u */)\n}\n/** end */\n",
        ["levels.thrift"] =
            "include \"missing.thrift\"\nnamespace foo bar\nservice S { async void f() }\nstruct T { 1: byte b, 2: list<byte> l, i64 c = 5000000000 }\n" +
            "union U { 1: required i32 a }\n",
    };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kiln-interop-flags-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string, string> Cases() => new()
    {
        { "keys.thrift", "" },
        { "keys.thrift", "-nowarn" },
        { "keys.thrift", "--allow-neg-keys" },
        { "keys.thrift", "--allow-64bit-consts" },
        { "keys.thrift", "-nowarn --allow-neg-keys" },
        { "keys.thrift", "-strict" },
        { "keys.thrift", "-strict -nowarn" },
        { "keys.thrift", "-nowarn -strict" },
        { "negative.thrift", "" },
        { "negative.thrift", "--allow-neg-keys" },
        { "negative.thrift", "-strict --allow-neg-keys" },
        { "docs.thrift", "" },
        { "docs.thrift", "-strict" },
        { "docs.thrift", "-strict -nowarn" },
        { "levels.thrift", "" },
        { "levels.thrift", "-nowarn" },
        { "levels.thrift", "-strict" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kiln_checks_with_thrift_s_flags_as_thrift_does(string input, string flags)
    {
        var idl = Path.Combine(_dir.FullName, input);
        File.WriteAllText(idl, Inputs[input]);
        var arguments = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var thriftOut = _dir.CreateSubdirectory("thrift-" + arguments.Length + input);
        var kilnOut = _dir.CreateSubdirectory("kiln-" + arguments.Length + input);

        var (exitCode, output) = Peers.RunThrift([.. arguments, "--gen", "netstd", "-out", thriftOut.FullName, idl], _dir.FullName);
        var kiln = ThriftBuild.Run(new ThriftBuildRequest([idl], [], ["netstd"], kilnOut.FullName, null, false, false, OptionsOf(arguments)));

        var because = $"thrift {flags} {input} printed:\n{output}\nKiln reported:\n{string.Join("\n", kiln.Diagnostics)}";
        Assert.True((exitCode == 0) == !kiln.HasErrors, because);
        if (exitCode != 0)
        {
            // thrift stops at its first error; Kiln reports every one. Only the verdict compares.
            Assert.Contains(kiln.Diagnostics, d => d.Code == "KTH0083" || d.IsError);
            return;
        }

        var thriftWarnings = ThriftWarnings(output);
        Assert.True(
            thriftWarnings.Select(w => w.Code).Order(StringComparer.Ordinal).SequenceEqual(
                kiln.Diagnostics.Where(d => !d.IsError).Select(d => d.Code).Order(StringComparer.Ordinal)),
            because);
        Assert.True(
            thriftWarnings.Where(w => w.Code == "KTH0085").Select(w => w.DocLine).Order().SequenceEqual(
                kiln.Diagnostics.Where(d => d.Code == "KTH0085").Select(d => int.Parse(OnLine().Match(d.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order()),
            because);

        // Same files, and in each the same field keys written and read.
        var thriftFiles = Keys(thriftOut.FullName);
        var kilnFiles = Keys(kilnOut.FullName);
        Assert.NotEmpty(thriftFiles.Values.SelectMany(keys => keys));
        Assert.Equal(thriftFiles.Keys.Order(StringComparer.Ordinal), kilnFiles.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, keys) in thriftFiles)
        {
            Assert.Equal(keys, kilnFiles[path]);
        }
    }

    /// <summary>What <c>kiln thrift</c> makes of the flags (thrift reads them in order: the later of -nowarn and -strict sets the warning level).</summary>
    private static ThriftOptions OptionsOf(IEnumerable<string> flags)
    {
        var options = ThriftOptions.Default;
        foreach (var flag in flags)
        {
            options = flag.TrimStart('-') switch
            {
                "nowarn" => options with { WarningLevel = ThriftOptions.NoWarningsLevel },
                "strict" => options with { Strict = true, WarningLevel = ThriftOptions.StrictWarningLevel },
                "allow-neg-keys" => options with { AllowNegativeFieldKeys = true },
                "allow-64bit-consts" => options with { Allow64BitConstants = true },
                _ => throw new ArgumentException("unknown flag " + flag, nameof(flags)),
            };
        }

        return options;
    }

    /// <summary>
    /// thrift's warnings, each once (it prints parse-time warnings once per parse pass), as Kiln's
    /// code for the same message, with the line an uncaptured doc comment ends on.
    /// </summary>
    private static List<(string Code, int DocLine)> ThriftWarnings(string output)
    {
        var result = new List<(string, int)>();
        foreach (var (_, message) in output.Split('\n')
            .Select(line => Warning().Match(line.TrimEnd('\r')))
            .Where(match => match.Success)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value))
            .Distinct())
        {
            var code = message switch
            {
                _ when message.StartsWith("No field key specified", StringComparison.Ordinal) => "KTH0029",
                _ when message.StartsWith("Nonpositive value", StringComparison.Ordinal) => "KTH0030",
                _ when message.StartsWith("Nonpositive field key", StringComparison.Ordinal) => "KTH0084",
                _ when message.StartsWith("64-bit constant", StringComparison.Ordinal) => "KTH0028",
                _ when message.StartsWith("Uncaptured doctext", StringComparison.Ordinal) => "KTH0085",
                _ when message.StartsWith("Could not find include file", StringComparison.Ordinal) => "KTH0050",
                _ when message.StartsWith("\"async\" is deprecated", StringComparison.Ordinal) => "KTH0012",
                _ when message.StartsWith("The \"byte\" type", StringComparison.Ordinal) => "KTH0011",
                _ when message.StartsWith("Consider using the more efficient", StringComparison.Ordinal) => "KTH0027",
                _ when message.Contains("union members must be optional", StringComparison.Ordinal) => "KTH0075",
                _ when message.StartsWith("No generator named", StringComparison.Ordinal) => "KTH0077",
                _ => "unknown: " + message,
            };
            var onLine = OnLine().Match(message);
            result.Add((code, onLine.Success ? int.Parse(onLine.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0));
        }

        return result;
    }

    /// <summary>Per generated file, the field keys it writes (<c>ID = n;</c>) and reads (<c>case n:</c>), in order.</summary>
    private static Dictionary<string, string[]> Keys(string root) =>
        Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(root, path),
            path => FieldKey().Matches(File.ReadAllText(path)).Select(match => match.Value).ToArray(),
            StringComparer.Ordinal);

    [GeneratedRegex(@"^\[WARNING:.*:(\d+)\] (.*?)\s*$")]
    private static partial Regex Warning();

    [GeneratedRegex(@"on line (\d+)")]
    private static partial Regex OnLine();

    [GeneratedRegex(@"(?:\.ID = |case )-?\d+[;:]")]
    private static partial Regex FieldKey();
}
