namespace Kiln.Sequencing.Tests;

public class ChannelAndClockTests
{
    [Fact]
    public void Channel_packs_board_type_and_local_in_the_documented_bits()
    {
        var ch = Channel.Create(3, ChannelType.Rwg, 17);
        Assert.Equal((3u << 16) | (1u << 12) | 17u, ch.Value);
        Assert.Equal(3, ch.Board);
        Assert.Equal(ChannelType.Rwg, ch.Type);
        Assert.Equal(17, ch.Local);
        Assert.Equal("B3:RWG:17", ch.ToString());
        Assert.Equal(0xFFFF_0FFFu, Channel.Ttl(65535, 4095).Value);
    }

    [Theory]
    [InlineData(65536, 0, 0)]
    [InlineData(0, 16, 0)]
    [InlineData(0, 0, 4096)]
    [InlineData(-1, 0, 0)]
    public void Channel_fields_out_of_range_are_KSQ0010(int board, int type, int local)
    {
        var e = Assert.Throws<SequenceException>(() => Channel.Create(board, type, local));
        Assert.Equal("KSQ0010", e.Code);
    }

    [Fact]
    public void Clock_converts_SI_times_exactly_at_250_MHz()
    {
        var clock = SequenceClock.Default;
        Assert.Equal(250_000_000UL, clock.Hz);
        Assert.Equal(375UL, clock.Microseconds(1.5m));
        Assert.Equal(1UL, clock.Nanoseconds(4));
        Assert.Equal(250_000UL, clock.Milliseconds(1));
        Assert.Equal(250_000_000UL, clock.Seconds(1));
        Assert.Equal(0.000004m, clock.ToSeconds(1000));
        Assert.Equal(2500UL, clock.Parse("10us"));
        Assert.Equal(2500UL, clock.Parse("10 µs"));
        Assert.Equal(375_000UL, clock.Parse("1.5ms"));
        Assert.Equal(7UL, clock.Parse("7 cycles"));
        Assert.Equal(7UL, clock.Parse("7"));
        Assert.Equal(250UL, clock.Parse("1e3ns"));
    }

    [Fact]
    public void A_time_that_is_not_a_whole_number_of_cycles_is_KSQ0003()
    {
        var e = Assert.Throws<SequenceException>(() => SequenceClock.Default.Nanoseconds(1));
        Assert.Equal("KSQ0003", e.Code);
        Assert.Contains("0.25", e.Message, StringComparison.Ordinal);
        Assert.Equal("KSQ0003", Assert.Throws<SequenceException>(() => SequenceClock.Default.Parse("6ns")).Code);
    }

    [Fact]
    public void Negative_or_huge_times_are_KSQ0004_and_bad_text_is_KSQ0012()
    {
        Assert.Equal("KSQ0004", Assert.Throws<SequenceException>(() => SequenceClock.Default.Seconds(-1)).Code);
        Assert.Equal("KSQ0004", Assert.Throws<SequenceException>(() => SequenceClock.Default.Seconds(1e20m)).Code);
        Assert.Equal("KSQ0012", Assert.Throws<SequenceException>(() => SequenceClock.Default.Parse("10 parsecs")).Code);
        Assert.Equal("KSQ0012", Assert.Throws<SequenceException>(() => SequenceClock.Default.Parse("abc")).Code);
    }

    [Fact]
    public void The_clock_rate_is_configurable()
    {
        var clock = new SequenceClock(100_000_000);
        Assert.Equal(1UL, clock.Nanoseconds(10));
        Assert.Equal("KSQ0003", Assert.Throws<SequenceException>(() => clock.Nanoseconds(4)).Code);
        var arena = new SequenceArena(clock);
        Assert.Same(clock, arena.Clock);
    }
}

public class CompositionTests
{
    private static readonly Channel Ch0 = Channel.Ttl(0, 0);
    private static readonly Channel Ch1 = Channel.Ttl(0, 1);
    private static readonly Channel Ch2 = Channel.Ttl(1, 0);

    internal static (ulong Time, int Node)[] Events(CompiledSequence s)
    {
        var r = new (ulong, int)[s.Count];
        for (var i = 0; i < s.Count; i++)
        {
            r[i] = (s.Records[i].Time, s.Records[i].Node);
        }

        return r;
    }

    [Fact]
    public void Serial_duration_is_the_sum_and_parallel_the_max()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 1);
        var y = a.Atomic(Ch1, 25, 1);
        var w = a.Wait(5);
        Assert.Equal(40UL, (x >> w >> y).Duration);
        Assert.Equal(25UL, (x | y).Duration);
        Assert.Equal(40UL, Seq.Serial(x, w, y).Duration);
        Assert.Equal(25UL, Seq.Parallel(x, y, w).Duration);
        Assert.Equal(3, Seq.Serial(x, w, y).Children.Length);
        Assert.Equal(0UL, a.Serial().Duration);
    }

    [Fact]
    public void An_atomic_emits_one_event_at_its_start_and_a_wait_none()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 7, new byte[] { 1, 2 });
        var seq = Seq.Wait(a, 3) >> x >> Seq.Wait(a, 4);
        var s = SequenceCompiler.Compile(seq);
        Assert.Equal(1, s.Count);
        var e = s[0];
        Assert.Equal(3UL, e.Time);
        Assert.Equal(Ch0, e.Channel);
        Assert.Equal((ushort)7, e.Opcode);
        Assert.Equal(new byte[] { 1, 2 }, e.Payload.ToArray());
        Assert.Equal(x.Id, e.Node);
        Assert.Equal(17UL, s.Duration);
    }

    [Fact]
    public void Serial_offsets_the_right_operand_and_parallel_starts_both_together()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 1);
        var y = a.Atomic(Ch0, 10, 2);
        var z = a.Atomic(Ch1, 5, 3);
        var w = a.Atomic(Ch1, 5, 4);
        var s = SequenceCompiler.Compile((x >> y) | (z >> w));
        Assert.Equal([(0UL, x.Id), (0UL, z.Id), (5UL, w.Id), (10UL, y.Id)], Events(s));
    }

    [Fact]
    public void Compiling_into_the_callers_array_writes_the_events_at_its_front_and_a_short_one_is_refused_untouched()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 1);
        var y = a.Atomic(Ch0, 10, 2);
        var z = a.Atomic(Ch1, 5, 3);
        var root = (x >> y) | z;
        var buffer = new EventRecord[5];
        Assert.Equal(3, SequenceCompiler.CompileInto(root, buffer));
        Assert.Equal([new(0, x.Id), new(0, z.Id), new(10, y.Id), default, default], buffer);

        var shorter = new EventRecord[2];
        var e = Assert.Throws<ArgumentException>(() => SequenceCompiler.CompileInto(root, shorter));
        Assert.Contains("holds 2 events; the sequence has 3", e.Message, StringComparison.Ordinal);
        Assert.Equal([default, default], shorter);
        Assert.Equal(0, SequenceCompiler.CompileInto(Seq.Wait(a, 4), []));
    }

    [Fact]
    public void Equal_times_keep_composition_order_left_first_on_both_compilers()
    {
        // The case where catseq's two compilers disagree: (X >> Y) | Z.
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 1);
        var y = a.Atomic(Ch0, 10, 2);
        var z = a.Atomic(Ch1, 5, 3);
        var root = (x >> y) | z;
        (ulong, int)[] expected = [(0UL, x.Id), (0UL, z.Id), (10UL, y.Id)];
        Assert.Equal(expected, Events(SequenceCompiler.Compile(root)));
        Assert.Equal(expected, Events(new IncrementalCompiler(a).Compile(root)));

        // Zero durations: many events at one time keep their order, also across a parallel merge.
        var b = new SequenceArena();
        var p = b.Atomic(Ch0, 0, 1);
        var q = b.Atomic(Ch0, 0, 2);
        var r = b.Atomic(Ch1, 0, 3);
        var t = b.Atomic(Ch2, 0, 4);
        var root2 = (r | (p >> q)) | t;
        Assert.Equal([(0UL, r.Id), (0UL, p.Id), (0UL, q.Id), (0UL, t.Id)], Events(SequenceCompiler.Compile(root2)));
    }

    [Fact]
    public void Parallel_with_a_shared_channel_is_KSQ0001_naming_the_channel_and_both_operands()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 10, 1);
        var y = a.Atomic(Ch1, 10, 2);
        var z = a.Atomic(Ch0, 5, 3);
        var left = x >> y;
        var p = Seq.Parallel(left, a.Atomic(Ch2, 1, 0), z);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(p));
        Assert.Equal("KSQ0001", e.Code);
        Assert.Equal(Ch0, e.Channel);
        Assert.Equal([p.Id, left.Id, z.Id], e.Nodes);
        Assert.Contains("B0:TTL:0", e.Message, StringComparison.Ordinal);
        Assert.Contains("operand 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("operand 2", e.Message, StringComparison.Ordinal);
        var inc = Assert.Throws<SequenceException>(() => new IncrementalCompiler(a).Compile(p));
        Assert.Equal(e.Nodes, inc.Nodes);
    }

    [Fact]
    public void A_one_channel_chain_in_a_parallel_is_checked_once_and_still_clashes_with_another_operand()
    {
        // The compiler checks a serial subtree whose events all use one channel at its first event only.
        var a = new SequenceArena();
        var chain = Seq.Serial(a.Atomic(Ch0, 1, 1), a.Atomic(Ch0, 1, 2), Seq.Wait(a, 2), a.Atomic(Ch0, 1, 3) >> a.Atomic(Ch0, 1, 4));
        var other = a.Atomic(Ch1, 1, 5) >> a.Atomic(Ch0, 1, 6);
        var p = Seq.Parallel(chain, a.Atomic(Ch2, 1, 7), other);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(p));
        Assert.Equal(("KSQ0001", Ch0), (e.Code, e.Channel));
        Assert.Equal([p.Id, chain.Id, other.Id], e.Nodes);

        // Used again later in the same operand, after a frame opened and closed, and beside another channel: fine.
        var fine = Seq.Parallel(chain >> (a.Atomic(Ch2, 1, 8) | chain) >> chain, a.Atomic(Ch1, 2, 9) >> a.Atomic(Ch1, 2, 10));
        Assert.Equal(NaiveReference.Flatten(a, fine.Id), SequenceCompiler.Compile(fine).Records.ToArray());
        Assert.Equal(NaiveReference.Flatten(a, fine.Id), new IncrementalCompiler(a) { MinCachedEvents = 1 }.Compile(fine).Records.ToArray());
    }

    [Fact]
    public void The_same_channel_in_serial_is_fine_and_conflicts_are_found_at_any_depth()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Ch0, 1, 1);
        var y = a.Atomic(Ch0, 1, 1);
        SequenceCompiler.Compile(x >> y);

        // Deep nest of parallels with the conflict between the outermost operands.
        var inner = a.Atomic(Ch1, 1, 0);
        var node = inner;
        for (var i = 0; i < 1000; i++)
        {
            node = node | a.Atomic(Channel.Ttl(2, i % 4000), 1, 0);
        }

        var conflict = node | a.Atomic(Ch1, 1, 0);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(conflict));
        Assert.Equal("KSQ0001", e.Code);
        Assert.Equal(conflict.Id, e.Nodes[0]);
        Assert.Equal(node.Id, e.Nodes[1]);

        // A reused subtree in two operands of a parallel conflicts with itself.
        var sub = a.Atomic(Channel.Ttl(3, 0), 1, 0) >> a.Atomic(Channel.Ttl(3, 1), 1, 0);
        var twice = sub | sub;
        Assert.Equal("KSQ0001", Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(twice)).Code);
        Assert.Equal("KSQ0001", Assert.Throws<SequenceException>(() => a.Validate(twice)).Code);
    }

    [Fact]
    public void A_nested_frame_closing_restores_its_parents_operand_for_the_channel_rule()
    {
        // (a >> (b | c) >> d) | e: when (b | c) closes, the outer frame's current operand is the
        // serial one again, so d may reuse a's channel, and e may not reuse b's.
        var a = new SequenceArena();
        SeqNode Serial(SeqNode inner, int last) => a.Atomic(Ch0, 1, 1) >> inner >> a.Atomic(Channel.Ttl(0, last), 1, 4);
        var fine = Serial(a.Atomic(Ch1, 2, 2) | a.Atomic(Ch2, 3, 3), 0) | a.Atomic(Channel.Ttl(0, 7), 1, 5);
        var s = SequenceCompiler.Compile(fine);
        Assert.Equal(5, s.Count);
        Assert.Equal(new IncrementalCompiler(a).Compile(fine).Records.ToArray(), s.Records.ToArray());

        var inner = a.Atomic(Ch1, 2, 2) | a.Atomic(Ch2, 3, 3);
        var serial = Serial(inner, 0);
        var clash = serial | a.Atomic(Ch1, 1, 5);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(clash));
        Assert.Equal("KSQ0001", e.Code);
        Assert.Equal(Ch1, e.Channel);
        Assert.Equal(clash.Id, e.Nodes[0]);
        Assert.Equal(serial.Id, e.Nodes[1]);
    }

    [Fact]
    public void Conflicts_inside_a_cached_block_are_found_through_its_channel_list()
    {
        var a = new SequenceArena();
        var atoms = new SeqNode[40];
        for (var i = 0; i < atoms.Length; i++)
        {
            atoms[i] = a.Atomic(Channel.Ttl(0, i), 1, 0);
        }

        var sub = Seq.Serial(atoms);
        var ok = sub >> sub;
        var inc = new IncrementalCompiler(a) { MinCachedEvents = 1 };
        inc.Compile(ok);
        Assert.True(inc.Statistics.Hits >= 1);
        var bad = Seq.Parallel(sub, a.Atomic(Channel.Ttl(0, 39), 1, 0));
        var bad2 = Seq.Parallel(a.Atomic(Channel.Ttl(0, 39), 1, 0), sub);
        var e = Assert.Throws<SequenceException>(() => inc.Compile(bad));
        Assert.Equal("KSQ0001", e.Code);
        Assert.Equal("KSQ0001", Assert.Throws<SequenceException>(() => inc.Compile(bad2)).Code);
    }

    [Fact]
    public void Duration_overflow_is_KSQ0002_naming_the_operands_never_a_wrap()
    {
        var a = new SequenceArena();
        var big = a.Wait(ulong.MaxValue - 1);
        var two = a.Wait(2);
        var e = Assert.Throws<SequenceException>(() => big >> two);
        Assert.Equal("KSQ0002", e.Code);
        Assert.Equal([big.Id, two.Id], e.Nodes);
        Assert.Equal(ulong.MaxValue - 1, (big | two).Duration);
        Assert.Equal(ulong.MaxValue, (big >> a.Wait(1)).Duration);
    }

    [Fact]
    public void Nodes_of_another_arena_and_payloads_of_composites_are_rejected()
    {
        var a = new SequenceArena();
        var b = new SequenceArena();
        var x = a.Atomic(Ch0, 1, 0);
        var y = b.Atomic(Ch0, 1, 0);
        Assert.Equal("KSQ0005", Assert.Throws<SequenceException>(() => x >> y).Code);
        Assert.Equal("KSQ0005", Assert.Throws<SequenceException>(() => a.Node(99)).Code);
        var s = x >> a.Wait(1);
        var e = Assert.Throws<SequenceException>(() => Seq.UpdatePayload(s, new byte[] { 1 }));
        Assert.Equal("KSQ0006", e.Code);
        Assert.Equal([s.Id], e.Nodes);
    }

    [Fact]
    public void Payloads_are_shared_never_copied()
    {
        var a = new SequenceArena();
        var bytes = new byte[1024];
        var x = a.Atomic(Ch0, 1, 0, bytes);
        var s = SequenceCompiler.Compile(x >> x);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(s[1].Payload, out var seg));
        Assert.Same(bytes, seg.Array);
    }

    [Fact]
    public void The_board_view_sorts_by_time_then_channel_with_each_boards_durations()
    {
        var a = new SequenceArena();
        var b0hi = a.Atomic(Channel.Ttl(0, 5), 10, 1);
        var b0lo = a.Atomic(Channel.Ttl(0, 2), 3, 1);
        var b1 = a.Atomic(Channel.Rwg(1, 0), 4, 1);
        var root = Seq.Parallel(b0hi, b0lo, b1 >> a.Wait(20));
        var s = SequenceCompiler.Compile(root);
        var boards = s.ByBoard();
        Assert.Equal(2, boards.Count);
        Assert.Equal(0, boards[0].Board);
        Assert.Equal([b0lo.Id, b0hi.Id], new[] { boards[0][0].Node, boards[0][1].Node });
        Assert.Equal(24UL, boards[0].TotalDuration);
        Assert.Equal(10UL, boards[0].LastEventEnd);
        Assert.Equal(1, boards[1].Board);
        Assert.Equal(4UL, boards[1].LastEventEnd);
    }

    [Theory]
    [InlineData("left")]
    [InlineData("right")]
    [InlineData("balanced")]
    public void Million_deep_chains_compile_without_recursion(string shape)
    {
        var a = new SequenceArena(capacity: 2_100_000);
        const int n = 1_000_000;
        var root = Shapes.Chain(a, n, shape, channels: 1);
        var plain = SequenceCompiler.Compile(a, root);
        Assert.Equal(n, plain.Count);
        for (var i = 1; i < plain.Count; i++)
        {
            Assert.True(plain.Records[i - 1].Time < plain.Records[i].Time);
        }

        var inc = new IncrementalCompiler(a);
        var cold = inc.Compile(root);
        Assert.True(plain.Records.SequenceEqual(cold.Records));
        var warm = inc.Compile(root);
        Assert.Same(cold.RecordArray, warm.RecordArray);
    }

    [Theory]
    [InlineData("left")]
    [InlineData("right")]
    public void Million_deep_parallel_nests_compile_and_build_in_linear_time(string shape)
    {
        var a = new SequenceArena(capacity: 2_100_000);
        var root = Shapes.Wide(a, 1_000_000, shape);
        var s = SequenceCompiler.Compile(a, root);
        Assert.Equal(1_000_000, s.Count);
        var expected = NaiveReference.Flatten(a, root);
        Assert.Equal(expected, s.Records.ToArray());
        Assert.Equal(expected, new IncrementalCompiler(a).Compile(root).Records.ToArray());
    }
}
