namespace Kiln.Sequencing.Tests;

/// <summary>
/// The naive reference the compilers are checked (and benchmarked) against: a recursive flatten
/// in composition order with absolute times, then a stable sort by time. Channel sets are built
/// per node and checked pairwise for parallel nodes. Deliberately simple; deep trees run on a
/// thread with a 1 GiB stack.
/// </summary>
public static class NaiveReference
{
    private readonly record struct Keyed(ulong Time, int Seq, int Node) : IComparable<Keyed>
    {
        public int CompareTo(Keyed other) => Time != other.Time ? Time.CompareTo(other.Time) : Seq.CompareTo(other.Seq);
    }

    /// <summary>(time, atomic id) sorted by time, ties in composition order.</summary>
    public static EventRecord[] Flatten(SequenceArena arena, int root)
    {
        if (arena.Count < 20_000)
        {
            return FlattenHere(arena, root);
        }

        EventRecord[]? result = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = FlattenHere(arena, root);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 1 << 30);
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw error;
        }

        return result!;
    }

    private static EventRecord[] FlattenHere(SequenceArena arena, int root)
    {
        var list = new List<Keyed>();
        Visit(arena, root, 0, list);
        var array = list.ToArray();
        Array.Sort(array);
        var result = new EventRecord[array.Length];
        for (var i = 0; i < array.Length; i++)
        {
            result[i] = new(array[i].Time, array[i].Node);
        }

        return result;
    }

    private static void Visit(SequenceArena arena, int node, ulong start, List<Keyed> output)
    {
        switch (arena.KindOf(node))
        {
            case NodeKind.Atomic:
                output.Add(new(start, output.Count, node));
                break;
            case NodeKind.Wait:
                break;
            case NodeKind.Serial:
                var t = start;
                foreach (var c in arena.ChildrenOf(node))
                {
                    Visit(arena, c, t, output);
                    t += arena.DurationOf(c);
                }

                break;
            case NodeKind.Parallel:
                foreach (var c in arena.ChildrenOf(node))
                {
                    Visit(arena, c, start, output);
                }

                break;
        }
    }

    /// <summary>The first channel conflict in post-order, as (parallel node, channel), or null.</summary>
    public static (int Parallel, Channel Channel)? FindConflict(SequenceArena arena, int root)
    {
        (int, Channel)? found = null;
        Channels(arena, root, ref found);
        return found;
    }

    private static HashSet<uint> Channels(SequenceArena arena, int node, ref (int, Channel)? found)
    {
        var set = new HashSet<uint>();
        switch (arena.KindOf(node))
        {
            case NodeKind.Atomic:
                set.Add(arena.ChannelOf(node).Value);
                break;
            case NodeKind.Serial:
                foreach (var c in arena.ChildrenOf(node).ToArray())
                {
                    set.UnionWith(Channels(arena, c, ref found));
                }

                break;
            case NodeKind.Parallel:
                foreach (var c in arena.ChildrenOf(node).ToArray())
                {
                    var child = Channels(arena, c, ref found);
                    foreach (var ch in child)
                    {
                        if (!set.Add(ch))
                        {
                            found ??= (node, new Channel(ch));
                        }
                    }
                }

                break;
        }

        return set;
    }
}
