namespace Kiln.Sequencing.Tests;

/// <summary>Trees big enough (≥ 2^17 events, big branches) to be split across cores.</summary>
public class ParallelCompileTests
{
    [Fact]
    public void Balanced_trees_split_across_cores_match_the_reference()
    {
        var a = new SequenceArena();
        var root = Shapes.Chain(a, 300_000, "balanced", channels: 3);
        Assert.Equal(NaiveReference.Flatten(a, root), SequenceCompiler.Compile(a, root).Records.ToArray());
        Assert.Equal(NaiveReference.Flatten(a, root), new IncrementalCompiler(a).Compile(root).Records.ToArray());
    }

    [Fact]
    public void Compiling_into_a_reused_longer_array_splits_too_and_leaves_the_tail_alone()
    {
        var a = new SequenceArena();
        var root = Shapes.Chain(a, 300_000, "balanced", channels: 3);
        var buffer = new EventRecord[300_010];
        var garbage = new EventRecord(ulong.MaxValue, -1);
        Array.Fill(buffer, garbage);
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(300_000, SequenceCompiler.CompileInto(a, root, buffer));
            Assert.Equal(NaiveReference.Flatten(a, root), buffer[..300_000]);
            Assert.All(buffer[300_000..], r => Assert.Equal(garbage, r));
        }
    }

    [Fact]
    public void Interleaving_big_parallel_branches_are_merged_with_ties_left_first()
    {
        var a = new SequenceArena();
        var sides = new int[4];
        for (var s = 0; s < sides.Length; s++)
        {
            var atoms = new int[50_000];
            for (var i = 0; i < atoms.Length; i++)
            {
                atoms[i] = a.AddAtomic(Channel.Ttl(s, i % 2), (ulong)(i % 4), 1, new byte[] { 1 });
            }

            sides[s] = Shapes.Combine(a, atoms, s % 2 == 0 ? "left" : "balanced", serial: true);
        }

        var root = a.AddComposite(NodeKind.Serial, [a.AddComposite(NodeKind.Parallel, sides), a.AddParallel(a.AddParallel(sides[0], sides[1]), a.AddParallel(sides[2], sides[3]))]);
        var expected = NaiveReference.Flatten(a, root);
        Assert.Equal(expected, SequenceCompiler.Compile(a, root).Records.ToArray());
        var inc = new IncrementalCompiler(a);
        Assert.Equal(expected, inc.Compile(root).Records.ToArray());
        Assert.Equal(expected, inc.Compile(root).Records.ToArray());
    }

    [Fact]
    public void A_conflict_between_big_branches_compiled_apart_is_reported()
    {
        var a = new SequenceArena();
        var x = Shapes.Chain(a, 70_000, "balanced", channels: 2, channelBase: 0);
        var y = Shapes.Chain(a, 70_000, "balanced", channels: 2, channelBase: 1);
        var p = a.AddParallel(x, y);
        var e = Assert.Throws<SequenceException>(() => SequenceCompiler.Compile(a, p));
        Assert.Equal("KSQ0001", e.Code);
        Assert.Equal([p, x, y], e.Nodes);
        Assert.Equal(Channel.Ttl(0, 1), e.Channel);
    }
}
