namespace Kiln.Sequencing.Tests;

public class IncrementalTests
{
    private static SeqNode Chain(SequenceArena a, int n, int channel, ushort opcode = 1)
    {
        var nodes = new SeqNode[n];
        for (var i = 0; i < n; i++)
        {
            nodes[i] = a.Atomic(Channel.Ttl(0, channel), (ulong)(1 + (i % 3)), opcode, new byte[] { (byte)i });
        }

        return Seq.Serial(nodes);
    }

    private static void SameAsReference(CompiledSequence s)
    {
        Assert.Equal(NaiveReference.Flatten(s.Arena, s.Root), s.Records.ToArray());
    }

    [Fact]
    public void A_subtree_reused_in_many_trees_is_compiled_once_and_hit_afterwards()
    {
        var a = new SequenceArena();
        var sub = Chain(a, 100, 0);
        var roots = new List<SeqNode>();
        for (var i = 0; i < 100; i++)
        {
            roots.Add(a.Atomic(Channel.Ttl(0, 1), (ulong)(1 + i), 9) >> sub >> a.Atomic(Channel.Ttl(0, 1), 2, 9));
        }

        var inc = new IncrementalCompiler(a);
        foreach (var r in roots)
        {
            SameAsReference(inc.Compile(r));
        }

        var cold = inc.Statistics;
        Assert.Equal(99, cold.Hits);
        Assert.Equal(101, cold.Misses); // 100 roots + the first use of sub
        Assert.Equal(101, cold.CachedNodes);
        Assert.True(cold.BytesHeld > 100 * 102 * 12);

        foreach (var r in roots)
        {
            inc.Compile(r);
        }

        Assert.Equal(199, inc.Statistics.Hits);
        Assert.Equal(101, inc.Statistics.Misses);
        Assert.True(inc.Statistics.HitRate > 0.6);
    }

    [Fact]
    public void Compiling_into_the_callers_array_uses_the_cache_but_keeps_no_entry_for_the_root()
    {
        var a = new SequenceArena();
        var sub = Chain(a, 100, 0);
        var root = a.Atomic(Channel.Ttl(0, 1), 3, 9) >> sub >> a.Atomic(Channel.Ttl(0, 1), 2, 9) >> sub;
        var inc = new IncrementalCompiler(a);
        var buffer = new EventRecord[300];
        Assert.Equal(202, inc.CompileInto(root, buffer));
        Assert.Equal(NaiveReference.Flatten(a, root.Id), buffer[..202]);
        Assert.Equal((1L, 2L, 1), (inc.Statistics.Hits, inc.Statistics.Misses, inc.Statistics.CachedNodes)); // root and sub missed, sub hit once; only sub kept

        // A root that Compile keeps is copied from the cache, also after a payload edit (records hold ids).
        var kept = inc.Compile(root);
        Array.Clear(buffer);
        a.UpdatePayload(sub.Children[0], new byte[] { 42 });
        Assert.Equal(202, inc.CompileInto(root, buffer));
        Assert.Equal(kept.Records.ToArray(), buffer[..202]);
        Assert.Equal(2, inc.Statistics.CachedNodes);

        // A structurally equal root built separately is a structural hit, written into the array.
        var twin = a.Atomic(Channel.Ttl(0, 1), 3, 9) >> sub >> a.Atomic(Channel.Ttl(0, 1), 2, 9) >> sub;
        var structural = inc.Statistics.StructuralHits;
        Assert.Equal(202, inc.CompileInto(twin, buffer));
        Assert.Equal(NaiveReference.Flatten(a, twin.Id), buffer[..202]);
        Assert.Equal(structural + 1, inc.Statistics.StructuralHits);
        Assert.Throws<ArgumentException>(() => inc.CompileInto(root, new EventRecord[201]));
    }

    [Fact]
    public void Deep_chains_cache_only_reused_nodes_so_memory_stays_linear()
    {
        var a = new SequenceArena();
        var root = a.Node(Shapes.Chain(a, 100_000, "left"));
        var inc = new IncrementalCompiler(a) { MinCachedEvents = 1 };
        inc.Compile(root);
        var stats = inc.Statistics;
        Assert.Equal(1, stats.CachedNodes);
        Assert.True(stats.BytesHeld < 100_000 * 12 + 1000);
    }

    [Fact]
    public void A_payload_edit_is_patched_in_place_and_old_results_keep_their_bytes()
    {
        var a = new SequenceArena();
        var x = a.Atomic(Channel.Ttl(0, 0), 1, 1, new byte[] { 1 });
        var sub = Chain(a, 50, 1);
        var root = x >> sub >> sub;
        var inc = new IncrementalCompiler(a);
        var before = inc.Compile(root);
        Seq.UpdatePayload(x, new byte[] { 2 });
        var after = inc.Compile(root);
        Assert.Equal(new byte[] { 2 }, after[0].Payload.ToArray());
        Assert.Equal(new byte[] { 2 }, SequenceCompiler.Compile(root)[0].Payload.ToArray());
        Assert.Equal(new byte[] { 1 }, before[0].Payload.ToArray());
        Seq.UpdatePayload(x, new byte[] { 3 });
        Assert.Equal(new byte[] { 2 }, after[0].Payload.ToArray());
        var stale = Assert.Throws<SequenceException>(() => before[0]);
        Assert.Equal("KSQ0009", stale.Code);
        Assert.Equal([x.Id], stale.Nodes);
        Assert.Equal(new byte[] { 3 }, inc.Compile(root)[0].Payload.ToArray());
        Assert.Equal(0, inc.Statistics.StructuralHits);
    }

    [Fact]
    public void Equal_subtrees_built_separately_share_one_entry_with_their_own_atomics()
    {
        var a = new SequenceArena();
        var s1 = Chain(a, 64, 0);
        var s2 = Chain(a, 64, 0);
        Assert.Equal(a.FingerprintOf(s1.Id), a.FingerprintOf(s2.Id));
        Seq.UpdatePayload(a.Node(s2.Children[3]), new byte[] { 42 });
        var inc = new IncrementalCompiler(a);
        var r1 = inc.Compile(s1 >> s1);
        var r2 = inc.Compile(s2 >> s2 >> a.Wait(1));
        Assert.Equal(2, inc.Statistics.StructuralHits); // both uses of s2 found s1's entry
        Assert.Equal(3, inc.Statistics.CachedNodes); // two roots and s1; s2 has no entry of its own
        SameAsReference(r2);
        Assert.Equal(new byte[] { 42 }, r2[3].Payload.ToArray());
        Assert.Equal(new byte[] { 42 }, r2[67].Payload.ToArray());
        Assert.Equal(s2.Children[3], r2[67].Node);
        Assert.Equal(new byte[] { 3 }, r1[3].Payload.ToArray());

        // An equal root built separately: a structural hit, then its own entry (its output).
        var r3 = inc.Compile(Chain(a, 64, 0));
        SameAsReference(r3);
        Assert.Equal(3, inc.Statistics.StructuralHits);

        // A different structure with a colliding shape but other channels is not shared.
        var s3 = Chain(a, 64, 1);
        SameAsReference(inc.Compile(s3));
    }

    [Fact]
    public void A_duration_change_invalidates_exactly_the_results_above_it()
    {
        var a = new SequenceArena();
        var p = a.DefineParameter("t", 1.0);
        var stable = Chain(a, 40, 0);
        var moving = a.Wait(SeqDuration.Of(p, TimeUnit.Microseconds)) >> Chain(a, 40, 1);
        var root1 = stable >> moving >> stable;
        var root2 = stable >> a.Atomic(Channel.Ttl(0, 2), 1, 0) >> stable;
        var inc = new IncrementalCompiler(a);
        SameAsReference(inc.Compile(root1));
        SameAsReference(inc.Compile(root2));
        Assert.Equal(ParameterChange.Durations, a.SetParameter(p, 2.0));
        Assert.Equal(500UL, a.DurationOf(moving.Children[0]));
        var before = inc.Statistics;
        Assert.Same(inc.Compile(root2).RecordArray, inc.Compile(root2).RecordArray); // root2 untouched: hit
        var r1 = inc.Compile(root1);
        SameAsReference(r1);
        Assert.Equal((2 * stable.Duration) + moving.Duration, r1.Duration);
        var after = inc.Statistics;
        Assert.Equal(before.Misses + 1, after.Misses); // only root1 missed; 'stable' still hit
        Assert.True(after.Hits >= before.Hits + 4);
    }

    [Fact]
    public void Parameters_reject_values_that_are_not_whole_cycles()
    {
        var a = new SequenceArena();
        var p = a.DefineParameter("t", 8);
        var w = a.Wait(SeqDuration.Of(p, TimeUnit.Nanoseconds));
        Assert.Equal(2UL, w.Duration);
        var e = Assert.Throws<SequenceException>(() => a.SetParameter(p, 5));
        Assert.Equal("KSQ0008", e.Code);
        Assert.Equal([w.Id], e.Nodes);
        Assert.Equal(8, p.Value);
        Assert.Equal(2UL, w.Duration);
        var big = a.Wait(ulong.MaxValue - 10);
        var s = big >> w;
        Assert.Equal("KSQ0002", Assert.Throws<SequenceException>(() => a.SetParameter(p, 1000)).Code);
        Assert.Equal(ulong.MaxValue - 8, s.Duration);
        Assert.Equal(8, p.Value);
    }

    [Fact]
    public void Lru_eviction_keeps_the_cache_within_its_bound()
    {
        var a = new SequenceArena();
        var inc = new IncrementalCompiler(a) { MaxCachedBytes = 3 * ((100 * 12) + 200) };
        var roots = new List<SeqNode>();
        for (var i = 0; i < 10; i++)
        {
            roots.Add(Chain(a, 100, i));
        }

        foreach (var r in roots)
        {
            inc.Compile(r);
        }

        var s = inc.Statistics;
        Assert.True(s.BytesHeld <= inc.MaxCachedBytes);
        Assert.True(s.Evictions >= 6);
        Assert.True(s.CachedNodes <= 3);
        inc.Compile(roots[^1]);
        Assert.Equal(1, inc.Statistics.Hits);
        SameAsReference(inc.Compile(roots[0]));
    }

    [Fact]
    public void Scans_list_product_and_zip_points_and_reuse_everything_unchanged()
    {
        var a = new SequenceArena();
        var amp = a.DefineParameter("amp", 0);
        var len = a.DefineParameter("len", 1);
        var atoms = new List<SeqNode>();
        for (var i = 0; i < 200; i++)
        {
            atoms.Add(i % 10 == 0
                ? a.Atomic(Channel.Rwg(1, 0), 2, 0x201, amp, v => BitConverter.GetBytes(v))
                : a.Atomic(Channel.Rwg(1, 0), 2, 0x202, new byte[] { 1 }));
        }

        var body = Seq.Serial([.. atoms]);
        var root = body >> a.Wait(SeqDuration.Of(len, TimeUnit.Microseconds)) >> a.Atomic(Channel.Ttl(0, 0), 1, 0x101);

        var product = Scan.Product(new ScanAxis(len, [1, 2]), new ScanAxis(amp, [0.1, 0.2, 0.3]));
        Assert.Equal(6, product.Points.Count);
        Assert.Equal(2.0, product.Points[3].Values[0].Value);
        Assert.Equal(0.1, product.Points[3].Values[1].Value);
        var zip = Scan.Zip(new ScanAxis(len, [1, 2]), new ScanAxis(amp, [0.5, 0.6]));
        Assert.Equal(2, zip.Points.Count);
        Assert.Equal("KSQ0011", Assert.Throws<SequenceException>(() => Scan.Zip(new ScanAxis(len, [1]), new ScanAxis(amp, [1, 2]))).Code);
        var list = Scan.List(new ScanPoint([new(amp, 7)]));
        Assert.Single(list.Points);

        var inc = new IncrementalCompiler(a);
        var results = inc.CompileScan(root, product).ToList();
        Assert.Equal(6, results.Count);
        Assert.Equal(ParameterChange.Durations, results[3].Change);
        Assert.Equal(ParameterChange.PayloadsOnly, results[4].Change);
        foreach (var r in results)
        {
            Assert.True(r.CompileTime > TimeSpan.Zero);
        }

        // The last point's result reads the last values; payload-only points kept the structure.
        var last = results[^1].Sequence;
        SameAsReference(last);
        Assert.Equal(BitConverter.GetBytes(0.3), last[0].Payload.ToArray());
        Assert.Equal(200UL * 2 + 500, last[^1].Time);
        Assert.Same(results[4].Sequence.RecordArray, results[5].Sequence.RecordArray);
    }
}
