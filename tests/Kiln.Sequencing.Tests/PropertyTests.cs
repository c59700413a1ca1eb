using CsCheck;

namespace Kiln.Sequencing.Tests;

/// <summary>
/// Random trees with random reuse (pool nodes used several times), ties (durations 0–3 on a few
/// channels), duration parameters and payload edits: the plain and the incremental compiler
/// must agree with the naive reference on every event, every payload and every channel conflict.
/// </summary>
public class PropertyTests
{
    private sealed class World
    {
        public readonly SequenceArena Arena = new();
        public readonly List<int> Pool = [];
        public readonly List<HashSet<uint>> Channels = [];
        public readonly List<int> Atomics = [];
        public readonly List<Parameter> Parameters = [];
    }

    private static World Build(Random rng, int operations, int channelCount)
    {
        var w = new World();
        var a = w.Arena;
        for (var p = 0; p < 3; p++)
        {
            w.Parameters.Add(a.DefineParameter("p" + p, rng.Next(0, 4)));
        }

        for (var op = 0; op < operations; op++)
        {
            var roll = rng.Next(100);
            if (w.Pool.Count < 3 || roll < 35)
            {
                var ch = Channel.Ttl(rng.Next(2), rng.Next(channelCount));
                SeqDuration d = rng.Next(5) == 0 ? SeqDuration.Of(w.Parameters[rng.Next(3)], TimeUnit.Cycles) : (ulong)rng.Next(4);
                var node = rng.Next(6) == 0
                    ? a.Atomic(ch, d, (ushort)rng.Next(4), w.Parameters[rng.Next(3)], v => new byte[] { (byte)v, 0xEE })
                    : a.Atomic(ch, d, (ushort)rng.Next(4), new byte[] { (byte)rng.Next(256) });
                w.Pool.Add(node.Id);
                w.Channels.Add([ch.Value]);
                w.Atomics.Add(node.Id);
            }
            else if (roll < 42)
            {
                SeqDuration d = rng.Next(3) == 0 ? SeqDuration.Of(w.Parameters[rng.Next(3)], TimeUnit.Cycles) : (ulong)rng.Next(4);
                w.Pool.Add(a.Wait(d).Id);
                w.Channels.Add([]);
            }
            else
            {
                var parallel = roll >= 70;
                var k = rng.Next(12) == 0 ? 0 : rng.Next(1, 5);
                var children = new List<int>();
                var set = new HashSet<uint>();
                for (var i = 0; i < k; i++)
                {
                    // Prefer recent nodes (deeper trees) but reuse older ones too.
                    var index = rng.Next(3) == 0 ? rng.Next(w.Pool.Count) : Math.Max(0, w.Pool.Count - 1 - rng.Next(6));
                    var chs = w.Channels[index];
                    if (parallel && set.Overlaps(chs) && rng.Next(20) != 0)
                    {
                        continue;
                    }

                    children.Add(w.Pool[index]);
                    set.UnionWith(chs);
                }

                // Now and then an empty composition (k = 0: no children, no events) stays in the tree.
                if (children.Count == 0 && rng.Next(4) != 0)
                {
                    continue;
                }

                w.Pool.Add(a.AddComposite(parallel ? NodeKind.Parallel : NodeKind.Serial, children.ToArray()));
                w.Channels.Add(set);
            }
        }

        return w;
    }

    private static void Check(SequenceArena a, int root, Func<CompiledSequence> compile)
    {
        var conflict = NaiveReference.FindConflict(a, root);
        if (conflict is not null)
        {
            var e = Assert.Throws<SequenceException>(compile);
            Assert.Equal("KSQ0001", e.Code);
            return;
        }

        var expected = NaiveReference.Flatten(a, root);
        var s = compile();
        Assert.Equal(expected, s.Records.ToArray());
        Assert.Equal(a.DurationOf(root), s.Duration);
        for (var i = 0; i < s.Count; i++)
        {
            Assert.True(s.PayloadAt(i).Span.SequenceEqual(a.PayloadOf(s.Records[i].Node).Span));
            Assert.Equal(a.ChannelOf(s.Records[i].Node), s.ChannelAt(i));
        }
    }

    /// <summary>
    /// A compile into a buffer reused across compiles (grown when short; <paramref name="compileInto"/>
    /// is one of the compilers' CompileInto): the reference's events at the front, the tail untouched.
    /// </summary>
    private static void CheckInto(SequenceArena a, int root, ref EventRecord[] buffer, Func<EventRecord[], int> compileInto)
    {
        var need = a.EventCountOf(root);
        if (buffer.Length < need)
        {
            buffer = new EventRecord[need + 3];
        }

        var sentinel = new EventRecord(ulong.MaxValue, -7);
        buffer.AsSpan(need).Fill(sentinel);
        var target = buffer;
        if (NaiveReference.FindConflict(a, root) is not null)
        {
            Assert.Equal("KSQ0001", Assert.Throws<SequenceException>(() => compileInto(target)).Code);
            return;
        }

        Assert.Equal(need, compileInto(buffer));
        Assert.Equal(NaiveReference.Flatten(a, root), buffer[..need]);
        Assert.All(buffer[need..], r => Assert.Equal(sentinel, r));
    }

    [Fact]
    public void Plain_and_incremental_agree_with_the_naive_reference_under_reuse_edits_and_ties()
    {
        Gen.Select(Gen.Int, Gen.Int[5, 400], Gen.Int[1, 6], Gen.Int[1, 40]).Sample(t =>
        {
            var (seed, operations, channels, minCached) = t;
            var rng = new Random(seed);
            var w = Build(rng, operations, channels);
            var a = w.Arena;
            var inc = new IncrementalCompiler(a) { MinCachedEvents = minCached, MaxCachedBytes = rng.Next(3) == 0 ? 4096 : 1 << 24 };
            var buffer = Array.Empty<EventRecord>();
            for (var round = 0; round < 6; round++)
            {
                for (var c = 0; c < 4; c++)
                {
                    var root = c == 0 ? w.Pool[^1] : w.Pool[rng.Next(w.Pool.Count)];
                    Check(a, root, () => SequenceCompiler.Compile(a, root));
                    CheckInto(a, root, ref buffer, b => SequenceCompiler.CompileInto(a, root, b));
                    if (rng.Next(2) == 0)
                    {
                        CheckInto(a, root, ref buffer, b => inc.CompileInto(root, b));
                    }

                    Check(a, root, () => inc.Compile(root));
                    CheckInto(a, root, ref buffer, b => inc.CompileInto(root, b));
                }

                // Random edits: payloads (in place), parameters (payloads and durations).
                var edits = rng.Next(4);
                for (var e = 0; e < edits && w.Atomics.Count > 0; e++)
                {
                    a.UpdatePayload(w.Atomics[rng.Next(w.Atomics.Count)], new byte[] { (byte)rng.Next(256), (byte)e });
                }

                if (rng.Next(2) == 0)
                {
                    a.SetParameter(w.Parameters[rng.Next(3)], rng.Next(0, 5));
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void Wide_and_interleaving_parallels_match_the_reference()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 60], Gen.Int[1, 30]).Sample(t =>
        {
            var (seed, width, length) = t;
            var rng = new Random(seed);
            var a = new SequenceArena();
            var sides = new int[width];
            for (var s = 0; s < width; s++)
            {
                var atoms = new int[length];
                for (var i = 0; i < length; i++)
                {
                    atoms[i] = a.AddAtomic(Channel.Ttl(s / 4096, s % 4096), (ulong)rng.Next(0, 4), 1, new byte[] { 1 });
                }

                sides[s] = Shapes.Combine(a, atoms, (rng.Next(4)) switch { 0 => "left", 1 => "right", 2 => "nary", _ => "balanced" }, serial: true);
            }

            var root = Shapes.Combine(a, sides, (rng.Next(4)) switch { 0 => "left", 1 => "right", 2 => "nary", _ => "balanced" }, serial: false);
            var layered = a.AddComposite(NodeKind.Serial, [root, root, root]);
            Check(a, layered, () => SequenceCompiler.Compile(a, layered));
            var buffer = new EventRecord[rng.Next(2 * a.EventCountOf(layered))];
            CheckInto(a, layered, ref buffer, b => SequenceCompiler.CompileInto(a, layered, b));
            var inc = new IncrementalCompiler(a) { MinCachedEvents = 1 };
            CheckInto(a, layered, ref buffer, b => inc.CompileInto(layered, b));
            Check(a, layered, () => inc.Compile(layered));
            Check(a, layered, () => inc.Compile(layered));
            CheckInto(a, layered, ref buffer, b => inc.CompileInto(layered, b));
        }, iter: 300);
    }
}
