namespace Kiln.Sequencing.Tests;

/// <summary>Tree shapes shared by the tests and the benchmarks.</summary>
public static class Shapes
{
    /// <summary>A serial chain of <paramref name="n"/> atomics (durations 1–3, round-robin channels), nested left, right or balanced.</summary>
    public static int Chain(SequenceArena a, int n, string shape, int channels = 1, int payloadBytes = 4, int channelBase = 0)
    {
        var payload = new byte[payloadBytes];
        var leaves = new int[n];
        for (var i = 0; i < n; i++)
        {
            leaves[i] = a.AddAtomic(Channel.Ttl(0, channelBase + (i % channels)), (ulong)(1 + (i % 3)), 0x0101, payload);
        }

        return Combine(a, leaves, shape, serial: true);
    }

    /// <summary>A parallel of <paramref name="n"/> atomics on distinct channels (board = i / 4096), all at t = 0.</summary>
    public static int Wide(SequenceArena a, int n, string shape)
    {
        var payload = new byte[4];
        var leaves = new int[n];
        for (var i = 0; i < n; i++)
        {
            leaves[i] = a.AddAtomic(Channel.Ttl(i / 4096, i % 4096), (ulong)(1 + (i % 5)), 0x0101, payload);
        }

        return Combine(a, leaves, shape, serial: false);
    }

    public static int Combine(SequenceArena a, int[] nodes, string shape, bool serial)
    {
        switch (shape)
        {
            case "left":
                {
                    var acc = nodes[0];
                    for (var i = 1; i < nodes.Length; i++)
                    {
                        acc = serial ? a.AddSerial(acc, nodes[i]) : a.AddParallel(acc, nodes[i]);
                    }

                    return acc;
                }

            case "right":
                {
                    var acc = nodes[^1];
                    for (var i = nodes.Length - 2; i >= 0; i--)
                    {
                        acc = serial ? a.AddSerial(nodes[i], acc) : a.AddParallel(nodes[i], acc);
                    }

                    return acc;
                }

            case "nary":
                return a.AddComposite(serial ? NodeKind.Serial : NodeKind.Parallel, nodes);
            default:
                {
                    // Balanced, bottom-up level by level (no recursion).
                    var level = nodes;
                    while (level.Length > 1)
                    {
                        var next = new int[(level.Length + 1) / 2];
                        for (var i = 0; i < next.Length; i++)
                        {
                            next[i] = 2 * i + 1 < level.Length
                                ? (serial ? a.AddSerial(level[2 * i], level[(2 * i) + 1]) : a.AddParallel(level[2 * i], level[(2 * i) + 1]))
                                : level[2 * i];
                        }

                        level = next;
                    }

                    return level[0];
                }
        }
    }
}
