using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

public class SeqBinderTests
{
    private static (ulong Time, Channel Channel, ushort Opcode, string Payload)[] Events(CompiledSequence s) =>
        [.. s.ToArray().Select(e => (e.Time, e.Channel, e.Opcode, Convert.ToHexString(e.Payload.Span)))];

    [Fact]
    public void A_file_compiles_to_the_same_events_as_the_tree_built_by_hand()
    {
        var program = SeqTestFiles.BindClean("""
            clock 250MHz
            let cool = B0:TTL:0
            let rf = rwg(1, 0)
            seq pulse(ch, len) = on(ch) >> wait(len) >> off(ch)
            main = pulse(cool, 1us) | atomic(rf, 40ns, 0x0201, u16(258) ++ hex"AB") >> pulse(B0:TTL:1, 2us)
            """);
        var compiled = SequenceCompiler.Compile(program.Main!.Value);

        var arena = new SequenceArena();
        var cool = Channel.Ttl(0, 0);
        var pulse1 = arena.Atomic(cool, 0, 0x0101) >> arena.Wait(250) >> arena.Atomic(cool, 0, 0x0100);
        var ttl1 = Channel.Ttl(0, 1);
        var pulse2 = Seq.Serial(arena.Atomic(ttl1, 0, 0x0101), arena.Wait(500), arena.Atomic(ttl1, 0, 0x0100));
        var tree = pulse1 | Seq.Serial(arena.Atomic(Channel.Rwg(1, 0), 10, 0x0201, new byte[] { 2, 1, 0xAB }), pulse2);
        var expected = SequenceCompiler.Compile(tree);

        Assert.Equal(Events(expected), Events(compiled));
        Assert.Equal(expected.Duration, compiled.Duration);
        Assert.Equal("cool", program.ChannelNames[cool]);
    }

    [Fact]
    public void A_definition_used_twice_with_the_same_arguments_is_one_node()
    {
        var program = SeqTestFiles.BindClean("""
            seq pulse(ch, len) = on(ch) >> wait(len) >> off(ch)
            seq a = pulse(B0:TTL:0, 1us)
            main = a >> pulse(B0:TTL:0, 1us) >> pulse(B0:TTL:0, 2us) >> a
            """);
        var children = program.Main!.Value.Children.ToArray();
        Assert.Equal(4, children.Length);
        Assert.Equal(children[0], children[1]);
        Assert.Equal(children[0], children[3]);
        Assert.NotEqual(children[0], children[2]);
    }

    [Fact]
    public void Let_functions_blocks_repeat_and_arithmetic()
    {
        var program = SeqTestFiles.BindClean("""
            clock 100MHz
            let half(t) = t / 2
            let base = 1us
            main = serial {
              repeat(3, on(B2:TTL:5, half(base + 1us)))
              parallel { wait(3 * base) off(B2:TTL:5) }
              atomic(B2:T9:1, 0, 7, f64(-0.5) ++ i8(-1))
            }
            """);
        var s = SequenceCompiler.Compile(program.Main!.Value);
        Assert.Equal([0UL, 100, 200, 300, 600], s.ToArray().Select(e => e.Time));
        Assert.Equal("000000000000E0BFFF", Convert.ToHexString(s[4].Payload.Span));
        Assert.Equal(Channel.Create(2, 9, 1), s[4].Channel);
        Assert.Equal(600UL, s.Duration);
    }

    [Fact]
    public void Several_errors_are_reported_in_one_run_with_positions()
    {
        var errors = SeqTestFiles.Errors("""
            seq a = on(B0:TTL:0) >> nothing
            seq b = wait(1ns)
            seq c = atomic(B0:TTL:1, 1us, 70000)
            seq d = on(5)
            main = a >> b >> c >> d >> wait(1us + 2)
            """);
        Assert.Equal(
            [
                "t.seq(1,25): error KSQ1201: unknown name 'nothing'",
                "t.seq(2,14): error KSQ0003: time 1ns is not a whole number of cycles at 250000000 Hz (0.25 cycles)",
                "t.seq(3,31): error KSQ1302: an opcode must be a whole number from 0 to 65535, not 70000",
                "t.seq(4,12): error KSQ1301: expected a channel (B0:TTL:3 or ttl(0, 3)), found a number",
                "t.seq(5,33): error KSQ1305: operator '+' cannot be applied to a time and a number",
            ],
            errors);
    }

    [Fact]
    public void Recursion_is_reported_with_its_path()
    {
        var errors = SeqTestFiles.Errors("seq a = wait(1us) >> b\nseq b = c\nseq c = a\nmain = a");
        Assert.Single(errors);
        Assert.Equal("t.seq(3,9): error KSQ1203: recursive definition: a -> b -> c -> a", errors[0]);
        Assert.Contains("recursive definition: f -> f", SeqTestFiles.Errors("seq f(x) = f(x)\nmain = f(1)").Single(), StringComparison.Ordinal);
        Assert.Contains("recursive definition: x -> x", SeqTestFiles.Errors("let x = x + 1\nmain = wait(1us)").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Channel_conflicts_are_reported_at_the_parallel_composition_with_both_operands()
    {
        var errors = SeqTestFiles.Errors("""
            let cool = B0:TTL:0
            seq one = on(cool) | off(cool)
            seq two = parallel {
              on(B1:RWG:2) >> wait(1us)
              off(B1:RWG:2)
            }
            main = one >> two
            """);
        Assert.Equal(
            [
                "t.seq(2,11): error KSQ0001: parallel operands must use disjoint channels: B0:TTL:0 (cool) is used by both 'on(cool)' (2,11) and 'off(cool)' (2,22)",
                "t.seq(3,11): error KSQ0001: parallel operands must use disjoint channels: B1:RWG:2 is used by both 'on(B1:RWG:2) >> wait(1us)' (4,3) and 'off(B1:RWG:2)' (5,3)",
            ],
            errors);
    }

    [Fact]
    public void Compiler_exceptions_map_back_to_source()
    {
        var program = SeqTestFiles.BindClean("main = on(B0:TTL:0) >> (on(B0:TTL:1) | wait(1us))");
        var e = Assert.Throws<SequenceException>(() => program.Arena.UpdatePayload(program.Main!.Value.Children[1], new byte[] { 1 }));
        var d = program.ToDiagnostic(e);
        Assert.Equal("t.seq(1,25): error KSQ0006: node 3 is a parallel node; only atomic nodes have a payload", d.ToMSBuildFormat());
    }

    [Fact]
    public void Overflow_and_out_of_range_times_are_errors()
    {
        Assert.Contains("KSQ0002", SeqTestFiles.Errors("main = wait(18446744073709551615cycles) >> wait(1cycles)").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ0004", SeqTestFiles.Errors("main = wait(-1us)").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ0004", SeqTestFiles.Errors("main = wait(99999999999999999999999s)").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ1302", SeqTestFiles.Errors("main = on(ttl(70000, 0))").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ1302", SeqTestFiles.Errors("main = atomic(B0:TTL:0, 0, 1, u8(256))").Single(), StringComparison.Ordinal);
        Assert.Contains("KSQ1302", SeqTestFiles.Errors("let x = 1 / 0\nmain = atomic(B0:TTL:0, 0, 1, f32(x))").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_main_duplicates_and_reserved_names()
    {
        Assert.Equal(["t.seq(1,1): error KSQ1205: the file has no 'main = ...' statement"], SeqTestFiles.Errors("let a = 1"));
        Assert.Equal(
            ["t.seq(2,5): error KSQ1202: 'a' is already defined at (1,5)", "t.seq(3,5): error KSQ1210: 'wait' is a built-in function and cannot be redefined", "t.seq(5,1): error KSQ1206: only one 'main' statement is allowed (the first is at (4,1))"],
            SeqTestFiles.Errors("let a = 1\nlet a = 2\nseq wait = on(B0:TTL:0)\nmain = wait(1us)\nmain = wait(2us)"));
    }

    [Fact]
    public void Unused_definitions_are_warnings()
    {
        var program = SeqTestFiles.BindClean("let unused = 3\nparam p = 1\nmain = wait(1us)");
        Assert.Equal(["KSQ1209", "KSQ1209"], program.Diagnostics.Select(d => d.Code));
        Assert.All(program.Diagnostics, d => Assert.False(d.IsError));
    }

    [Fact]
    public void A_clock_changes_what_a_time_is()
    {
        var program = SeqTestFiles.BindClean("clock 1GHz\nmain = wait(1ns)");
        Assert.Equal(1UL, program.Main!.Value.Duration);
        Assert.Contains("KSQ1301", SeqTestFiles.Errors("clock 10us\nmain = wait(1us)").Single(), StringComparison.Ordinal);
    }
}
