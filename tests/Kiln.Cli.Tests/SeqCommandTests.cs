using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Kiln.Sequencing;
using Kiln.Sequencing.Language;

namespace Kiln.Cli.Tests;

public sealed class SeqCommandTests : IDisposable
{
    private const string Experiment = """
        # two boards, a parameter-dependent payload, a scan
        let cool = B0:TTL:0
        let gate = B0:TTL:4
        let drive = B1:RWG:0
        param t = 2us
        param amp = 0.5
        seq pulse(ch, len) = on(ch) >> wait(len) >> off(ch)
        seq rf = atomic(drive, 40ns, 0x0202, f32(amp)) >> atomic(drive, t, 0x0203) >> atomic(drive, 0, 0x0204)
        main = pulse(cool, 100us) >> rf >> wait(1ms) >> (pulse(gate, 50us) | pulse(cool, 40us))
        scan product(t = [1us, 2us, 3us], amp = [0.25, 0.5])
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kiln-cli-tests", Guid.NewGuid().ToString("N"));

    public SeqCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kiln.slnx")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }

    [Fact]
    public void A_valid_file_prints_a_summary_and_exits_zero()
    {
        var file = Write("ok.seq", Experiment);
        var (code, output, error) = Run("seq", file);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"ok\.seq: 9 events on 3 channels \(2 boards\), 1\.15204ms \(288010 cycles\)", output);
    }

    [Fact]
    public void Errors_print_with_positions_several_per_run_and_exit_one()
    {
        var file = Write("bad.seq", "let cool = B0:TTL:0\nseq a = on(cool) | off(cool)\nseq b = wait(3ns)\nmain = a >> b >> c\n");
        var (code, output, error) = Run("seq", file, "-o", Path.Combine(_dir, "events.csv"));
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Equal("", output);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"bad\.seq\(3,14\): error KSQ0003: time 3ns is not a whole number of cycles", lines[0]);
        Assert.Matches(@"bad\.seq\(4,18\): error KSQ1201: unknown name 'c'", lines[1]);
        Assert.False(File.Exists(Path.Combine(_dir, "events.csv")));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        // The channel conflict is found once the names bind.
        File.WriteAllText(file, "let cool = B0:TTL:0\nseq a = on(cool) | off(cool)\nmain = a\n");
        (code, _, error) = Run("seq", file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Matches(@"bad\.seq\(2,9\): error KSQ0001: .*B0:TTL:0 \(cool\) is used by both 'on\(cool\)' \(2,9\) and 'off\(cool\)' \(2,20\)", error);
    }

    [Fact]
    public void Usage_and_io_errors_exit_two()
    {
        var (code, _, error) = Run("seq", Path.Combine(_dir, "absent.seq"));
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("error KLN0002", error, StringComparison.Ordinal);

        var file = Write("ok.seq", Experiment);
        (code, _, error) = Run("seq", file, "--from", "1us");
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("give --svg", error, StringComparison.Ordinal);

        (code, _, error) = Run("seq", file, "--svg", Path.Combine(_dir, "x.svg"), "--from", "1 parsec");
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("KLN0001", error, StringComparison.Ordinal);

        (code, _, _) = Run("seq", file, "--format", "xml", "-o", "x");
        Assert.Equal(ExitCodes.UsageOrIOError, code);

        var noScan = Write("noscan.seq", "main = wait(1us)");
        (code, _, error) = Run("seq", noScan, "--scan");
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("no 'scan' statement", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_and_json_hold_the_events_the_compiler_makes()
    {
        var file = Write("ok.seq", Experiment);
        var expected = SequenceCompiler.Compile(SequenceLanguage.Bind(file, Experiment).Main!.Value);

        var csv = Path.Combine(_dir, "events.csv");
        var (code, _, error) = Run("seq", file, "-o", csv);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(expected.Count, rows.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            Assert.Equal(e.Time.ToString(CultureInfo.InvariantCulture), rows[i][0]);
            Assert.Equal(e.Channel.ToString(), rows[i][2]);
            Assert.Equal("0x" + e.Opcode.ToString("X4", CultureInfo.InvariantCulture), rows[i][4]);
            Assert.Equal(Convert.ToHexString(e.Payload.Span), rows[i][5]);
        }

        var json = Path.Combine(_dir, "events.json");
        (code, _, _) = Run("seq", file, "-o", json);
        Assert.Equal(ExitCodes.Success, code);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var events = document.RootElement.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(expected.Count, events.Length);
        Assert.Equal(expected.ToArray().Select(e => (e.Time, e.Channel.ToString(), (int)e.Opcode)), events.Select(e => (e.GetProperty("time").GetUInt64(), e.GetProperty("channel").GetString()!, e.GetProperty("opcode").GetInt32())));
        Assert.Equal("2us", document.RootElement.GetProperty("parameters").GetProperty("t").GetString());

        // '-' writes to standard output (warnings go to standard error then), and --format wins over the extension.
        File.AppendAllText(file, "\nlet unused = 1\n");
        (code, var output, error) = Run("seq", file, "-o", "-", "--format", "json");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("warning KSQ1209: 'unused' is defined but never used", error, StringComparison.Ordinal);
        using var fromStdout = JsonDocument.Parse(output);
        Assert.Equal(expected.Count, fromStdout.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public void The_svg_is_well_formed_with_one_row_per_channel()
    {
        var file = Write("ok.seq", Experiment);
        var svg = Path.Combine(_dir, "t.svg");
        var (code, _, error) = Run("seq", file, "--svg", svg, "--compress-gaps", "--from", "0", "--to", "1.2ms");
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        var root = XDocument.Load(svg).Root!;
        var rows = root.Descendants().Where(e => (string?)e.Attribute("class") == "row").Select(e => (string)e.Attribute("data-channel")!).ToList();
        Assert.Equal(["B0:TTL:0", "B0:TTL:4", "B1:RWG:0"], rows);
        Assert.Equal(["0", "1"], root.Descendants().Where(e => (string?)e.Attribute("class") == "board").Select(e => (string)e.Attribute("data-board")!));
        Assert.Contains(root.Descendants(), e => (string?)e.Attribute("class") == "break");
    }

    [Fact]
    public void Scan_writes_one_file_per_point_and_a_line_per_point()
    {
        var file = Write("ok.seq", Experiment);
        var csv = Path.Combine(_dir, "out", "events.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        var svg = Path.Combine(_dir, "out", "t.svg");
        var (code, output, error) = Run("seq", file, "--scan", "-o", csv, "--svg", svg, "--stats");
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Count(l => l.StartsWith("point ", StringComparison.Ordinal)));
        Assert.Matches(@"^point 0000 \(t=1us, amp=0\.25\): 9 events on 3 channels \(2 boards\), .*, compiled in [\d.]+ ms \(.*\)$", lines[0]);
        Assert.EndsWith("(payloads only)", lines[1], StringComparison.Ordinal); // only amp changed: no recompile of the structure
        Assert.EndsWith("(durations changed)", lines[2], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("stats: cache", StringComparison.Ordinal));
        for (var i = 0; i < 6; i++)
        {
            Assert.True(File.Exists(Path.Combine(_dir, "out", $"events.point-{i:D4}.csv")));
            XDocument.Load(Path.Combine(_dir, "out", $"t.point-{i:D4}.svg"));
        }

        // Point 5 is t=3us, amp=0.5: the drive pulse lasts 750 cycles and its amplitude is 0.5.
        var point5 = File.ReadAllLines(Path.Combine(_dir, "out", "events.point-0005.csv"));
        Assert.Contains(point5, l => l.Contains(",0x0203,,750,", StringComparison.Ordinal));
        Assert.Contains(point5, l => l.Contains(",0x0202," + Convert.ToHexString(BitConverter.GetBytes(0.5f)) + ",", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_experiment_compiles_and_draws()
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "sequences", "rabi.seq");
        var svg = Path.Combine(_dir, "rabi.svg");
        var (code, output, error) = Run("seq", example, "--svg", svg);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("events on 5 channels (2 boards)", output, StringComparison.Ordinal);
        XDocument.Load(svg);
        (code, output, error) = Run("seq", example, "--scan");
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(20, output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Help_describes_every_option()
    {
        var (code, output, _) = Run("seq", "--help");
        Assert.Equal(ExitCodes.Success, code);
        foreach (var option in new[] { "--output", "--format", "--svg", "--from", "--to", "--compress-gaps", "--scan", "--stats" })
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
