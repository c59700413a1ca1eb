namespace Kiln.Sequencing.Tests;

public class MoreRulesTests
{
    [Fact]
    public void More_than_2_31_events_saturate_the_count_and_fail_with_KSQ0007()
    {
        var a = new SequenceArena();
        var node = a.Atomic(Channel.Ttl(0, 0), 1, 0);
        for (var i = 0; i < 31; i++)
        {
            node = node >> node;
        }

        Assert.Equal(int.MaxValue, node.EventCount);
        Assert.Equal(1UL << 31, node.Duration);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(node));
        Assert.Equal("KSQ0007", e.Code);
        Assert.Equal([node.Id], e.Nodes);
        Assert.Equal("KSQ0007", Assert.Throws<SequenceException>(() => new IncrementalCompiler(a).Compile(node)).Code);
    }

    [Fact]
    public void Many_threads_compiling_through_one_incremental_compiler_agree_with_the_reference()
    {
        var a = new SequenceArena();
        var sub = a.Node(Shapes.Chain(a, 200, "balanced", channels: 2));
        var roots = new int[64];
        for (var i = 0; i < roots.Length; i++)
        {
            var side = a.Atomic(Channel.Ttl(1, i % 7), (ulong)i, 1);
            roots[i] = Seq.Serial(sub, side | sub, a.Wait((ulong)i), sub).Id;
        }

        var inc = new IncrementalCompiler(a) { MaxCachedBytes = 64 * 1024 };
        Parallel.For(0, 4 * roots.Length, k =>
        {
            var r = roots[k % roots.Length];
            Assert.Equal(NaiveReference.Flatten(a, r), inc.Compile(r).Records.ToArray());
        });
        var s = inc.Statistics;
        Assert.True(s.Hits > 0);
        Assert.True(s.BytesHeld <= inc.MaxCachedBytes);
    }

    [Fact]
    public void Validate_checks_the_channel_rule_without_keeping_a_result()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Channel.Ttl(0, 0), 1, 0);
        a.Validate(x >> x);
        var e = Assert.Throws<SequenceException>(() => a.Validate(x | a.Wait(3) | x));
        Assert.Equal("KSQ0001", e.Code);
    }

    [Fact]
    public void Payload_parameters_patch_in_place_and_list_scans_report_each_point()
    {
        var a = new SequenceArena();
        var p = a.DefineParameter("amp", 1);
        var x = a.Atomic(Channel.Rwg(0, 0), 10, 0x201, p, v => new byte[] { (byte)v });
        var root = Seq.Serial(x, a.Atomic(Channel.Ttl(0, 0), 1, 0x101), x);
        Assert.Equal(ParameterChange.None, a.SetParameter(p, 1));
        var inc = new IncrementalCompiler(a);
        var first = inc.Compile(root);
        Assert.Equal(ParameterChange.PayloadsOnly, a.SetParameter(p, 2));
        var second = inc.Compile(root);
        Assert.Same(first.RecordArray, second.RecordArray);
        Assert.Equal(new byte[] { 1 }, first[0].Payload.ToArray());
        Assert.Equal(new byte[] { 2 }, second[2].Payload.ToArray());

        var scan = Scan.List(new ScanPoint([new(p, 5)]), new ScanPoint([new(p, 5)]), new ScanPoint([new(p, 6)]));
        var results = inc.CompileScan(root, scan).ToList();
        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal([ParameterChange.PayloadsOnly, ParameterChange.None, ParameterChange.PayloadsOnly], results.Select(r => r.Change));
        Assert.Equal(new byte[] { 6 }, results[2].Sequence[0].Payload.ToArray());
        Assert.Contains("amp=5", results[0].Point.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_board_view_refuses_durations_changed_after_compiling()
    {
        var a = new SequenceArena();
        var p = a.DefineParameter("d", 4);
        var root = a.Atomic(Channel.Ttl(0, 0), SeqDuration.Of(p, TimeUnit.Cycles), 1) >> a.Atomic(Channel.Ttl(2, 0), 1, 1);
        var s = SequenceCompiler.Compile(root);
        a.SetParameter(p, 8);
        Assert.Throws<InvalidOperationException>(() => s.ByBoard());
        var again = SequenceCompiler.Compile(root);
        Assert.Equal(8UL, again.ByBoard()[1][0].Time);
        Assert.Equal(4UL, s[1].Time);
    }
}
