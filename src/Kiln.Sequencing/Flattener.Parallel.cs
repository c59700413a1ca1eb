namespace Kiln.Sequencing;

/// <summary>
/// Large independent branches on all cores. Every subtree's place in the output is known before
/// compiling (its start position is the sum of the event counts to its left), so disjoint
/// subtrees can be flattened by different threads into one array. The split: starting at the
/// root, a serial or parallel node with at most <see cref="MaxSplitFanOut"/> children, two or more
/// of them with at least <see cref="MinTaskEvents"/> events, is expanded into its children (a
/// "skeleton" node); every other node reached becomes a task. Chains have one big child per level
/// and are never split (their cost is one pass anyway); balanced trees and wide parallels of big
/// branches are. Tasks run in parallel, each checks the channel rule inside its subtree and
/// reports its channels; skeleton nodes are then finished children first: a parallel one checks
/// its operands' channel sets for overlap and merges its operands' regions. Errors are reported
/// for the leftmost failing task, so the outcome does not depend on scheduling.
/// </summary>
internal sealed partial class Flattener
{
    internal const int ParallelThreshold = 1 << 17;
    private const int MinTaskEvents = 1 << 15;
    private const int MaxSplitFanOut = 64;

    private readonly record struct Task(int Node, ulong Time, int Position);

    private readonly record struct Skeleton(int Node, int Position, int FirstChild, int ChildCount);

    private bool TryRunParallel(SequenceArena arena, int root, IncrementalCompiler? cache, EventRecord[] output)
    {
        var nodes = arena.Nodes;
        var edges = arena.Edges;
        var tasks = new List<Task>();
        var skeleton = new List<Skeleton>();

        // Children of skeleton node s are entries [FirstChild, FirstChild + ChildCount) of 'slots':
        // a slot is either a task (index >= 0) or another skeleton node (~index).
        var slots = new List<int>();
        var pending = new Stack<(int Node, ulong Time, int Position, int Slot)>();
        slots.Add(0);
        pending.Push((root, 0, 0, 0));
        while (pending.Count > 0)
        {
            var (node, time, position, slot) = pending.Pop();
            ref var n = ref nodes[node];
            if (Splittable(arena, node))
            {
                var s = skeleton.Count;
                var first = slots.Count;
                skeleton.Add(new Skeleton(node, position, first, n.B));
                slots[slot] = ~s;
                var cursor = time;
                var pos = position;
                for (var k = 0; k < n.B; k++)
                {
                    slots.Add(0);
                }

                for (var k = 0; k < n.B; k++)
                {
                    var child = edges[n.A + k];
                    pending.Push((child, n.Kind == NodeKind.Serial ? cursor : time, pos, first + k));
                    cursor += nodes[child].Duration;
                    pos += nodes[child].Events;
                }
            }
            else
            {
                slots[slot] = tasks.Count;
                tasks.Add(new Task(node, time, position));
            }
        }

        if (skeleton.Count == 0)
        {
            return false;
        }

        var channels = new int[tasks.Count][];
        var errors = new Exception?[tasks.Count];
        Parallel.For(0, tasks.Count, i =>
        {
            var f = Rent();
            try
            {
                var task = tasks[i];
                f.Begin(arena, cache, output, task.Position);
                f.Emit(task.Node, task.Time);
                channels[i] = f.CollectChannels(output, task.Position, task.Position + nodes[task.Node].Events);
            }
            catch (Exception e) when (e is SequenceException or InvalidOperationException)
            {
                errors[i] = e;
            }
            finally
            {
                Return(f);
            }
        });

        foreach (var e in errors)
        {
            if (e is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            }
        }

        // Finish skeleton nodes children first (they were added parents first).
        Begin(arena, cache, output);
        var skeletonChannels = new int[skeleton.Count][];
        var mark = new int[Math.Max(1, arena.ChannelCount)];
        var generation = 0;
        for (var s = skeleton.Count - 1; s >= 0; s--)
        {
            var sk = skeleton[s];
            var parallel = nodes[sk.Node].Kind == NodeKind.Parallel;
            generation++;
            var union = new List<int>();
            _runCount = 0;
            var pos = sk.Position;
            for (var k = 0; k < sk.ChildCount; k++)
            {
                var slot = slots[sk.FirstChild + k];
                var childChannels = slot >= 0 ? channels[slot] : skeletonChannels[~slot];
                var childNode = slot >= 0 ? tasks[slot].Node : skeleton[~slot].Node;
                foreach (var ch in childChannels)
                {
                    if (mark[ch] == generation)
                    {
                        if (parallel)
                        {
                            ThrowConflict(arena, sk.Node, ch);
                        }

                        continue;
                    }

                    mark[ch] = generation;
                    union.Add(ch);
                }

                if (parallel && nodes[childNode].Events > 0)
                {
                    PushRun(pos);
                }

                pos += nodes[childNode].Events;
            }

            if (parallel)
            {
                MergeRuns(0, pos);
            }

            skeletonChannels[s] = [.. union];
        }

        return true;
    }

    private static bool Splittable(SequenceArena arena, int node)
    {
        ref var n = ref arena.Nodes[node];
        if (n.Kind is not (NodeKind.Serial or NodeKind.Parallel) || n.B > MaxSplitFanOut || n.Uses >= 2)
        {
            return false;
        }

        var big = 0;
        for (var e = n.A; e < n.A + n.B; e++)
        {
            if (arena.Nodes[arena.Edges[e]].Events >= MinTaskEvents && ++big >= 2)
            {
                return true;
            }
        }

        return false;
    }
}
