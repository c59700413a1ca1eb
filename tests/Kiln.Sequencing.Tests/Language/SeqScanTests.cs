using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

public class SeqScanTests
{
    private const string Rabi = """
        param t = 2us
        param amp = 0.5
        let rf = B1:RWG:0
        main = atomic(rf, 40ns, 0x0202, f32(amp * 2) ++ hex"00") >> atomic(rf, t, 0x0203) >> off(B0:TTL:0)
        """;

    [Fact]
    public void Product_runs_the_last_axis_fastest_and_values_keep_their_units()
    {
        var program = SeqTestFiles.BindClean(Rabi + "\nscan product(amp = [0.25, 0.5], t = linspace(400ns, 1.2us, 3))");
        var points = program.ScanPoints!;
        Assert.Equal(6, points.Count);
        Assert.Equal("amp=0.25, t=400ns", SequenceProgram.Describe(points[0]));
        Assert.Equal("amp=0.25, t=800ns", SequenceProgram.Describe(points[1]));
        Assert.Equal("amp=0.5, t=1.2us", SequenceProgram.Describe(points[5]));
    }

    [Fact]
    public void Scan_points_compile_with_their_durations_and_payloads()
    {
        var program = SeqTestFiles.BindClean(Rabi + "\nscan zip(t = [1us, 3us], amp = [0.25, 1])");
        var compiler = new IncrementalCompiler(program.Arena);
        var results = compiler.CompileScan(program.Main!.Value, program.Scan!).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(10UL + 250 + 0, results[0].Sequence[2].Time);
        Assert.Equal(10UL + 750, results[1].Sequence[2].Time);
        Assert.Equal(Convert.ToHexString(BitConverter.GetBytes(0.5f)) + "00", Convert.ToHexString(results[0].Sequence[0].Payload.Span));
        Assert.Equal(Convert.ToHexString(BitConverter.GetBytes(2f)) + "00", Convert.ToHexString(results[1].Sequence[0].Payload.Span));

        // The same as binding the file with the point's values as defaults.
        var fixedProgram = SeqTestFiles.BindClean(Rabi.Replace("param t = 2us", "param t = 3us").Replace("param amp = 0.5", "param amp = 1"));
        var expected = SequenceCompiler.Compile(fixedProgram.Main!.Value);
        Assert.Equal(expected.ToArray().Select(e => (e.Time, e.Opcode, Convert.ToHexString(e.Payload.Span))), results[1].Sequence.ToArray().Select(e => (e.Time, e.Opcode, Convert.ToHexString(e.Payload.Span))));
    }

    [Fact]
    public void Scan_errors_point_at_the_value()
    {
        Assert.Equal(
            ["t.seq(5,24): error KSQ0003: time 1ns is not a whole number of cycles at 250000000 Hz (0.25 cycles)"],
            SeqTestFiles.Errors(Rabi + "\nscan product(t = [1us, 1ns])"));
        Assert.Equal(
            ["t.seq(5,6): error KSQ1401: invalid scan: zip of unequal lengths (2, 1)"],
            SeqTestFiles.Errors(Rabi + "\nscan zip(t = [1us, 2us], amp = [1])"));
        Assert.Equal(
            ["t.seq(5,24): error KSQ1301: expected a fixed number for parameter 'amp', found a time"],
            SeqTestFiles.Errors(Rabi + "\nscan product(amp = [1, 2us])"));
        Assert.Equal(
            ["t.seq(5,14): error KSQ1401: invalid scan: 'rf' is not a parameter (declare it with 'param rf = ...')"],
            SeqTestFiles.Errors(Rabi + "\nscan product(rf = [1])"));
        Assert.Equal(
            ["t.seq(5,29): error KSQ1401: invalid scan: parameter 't' is scanned twice (first at (5,14))"],
            SeqTestFiles.Errors(Rabi + "\nscan product(t = [1us], zip(t = [2us]))"));
    }

    [Fact]
    public void A_payload_that_cannot_encode_a_scan_value_is_reported_at_that_value()
    {
        var errors = SeqTestFiles.Errors("param a = 1\nmain = atomic(B0:TTL:0, 0, 1, u8(a * 100))\nscan product(a = [1, 2, 3])");
        Assert.Equal(["t.seq(3,25): error KSQ1402: scan point 2 (a=3): u8 value 300 is out of range 0..255 (in the payload at (2,8))"], errors);
    }

    [Fact]
    public void Durations_and_values_may_depend_on_one_parameter_only_in_the_allowed_ways()
    {
        Assert.Contains("KSQ1303", SeqTestFiles.Errors("param t = 1us\nmain = wait(t * 2)").Single(), StringComparison.Ordinal);
        Assert.Contains("depends on both 'a' and 'b'", SeqTestFiles.Errors("param a = 1\nparam b = 2\nmain = atomic(B0:TTL:0, 0, 1, f32(a + b))").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ1303", SeqTestFiles.Errors("param a = 1\nmain = atomic(B0:TTL:0, 0, a, hex\"\")").Single(), StringComparison.Ordinal);
        // A time parameter in a payload: cycles(t) and seconds(t).
        var program = SeqTestFiles.BindClean("param t = 1us\nmain = atomic(B0:TTL:0, t, 1, u32(cycles(t)))\nscan product(t = [2us])");
        var result = new IncrementalCompiler(program.Arena).CompileScan(program.Main!.Value, program.Scan!).Single();
        Assert.Equal(500U, BitConverter.ToUInt32(result.Sequence[0].Payload.Span));
        Assert.Equal(500UL, result.Sequence.Duration);
    }
}
