using System.Runtime.InteropServices;

namespace Kiln.Sequencing;

/// <summary>
/// One compiled event as stored: absolute time and the atomic node that produced it (12 bytes).
/// Channel, opcode and payload are properties of that node, read through <see cref="CompiledSequence"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct EventRecord(ulong Time, int Node);

/// <summary>An event with everything resolved: <c>(time, channel, opcode, payload)</c> plus the atomic's id.</summary>
public readonly record struct SequenceEvent(ulong Time, Channel Channel, ushort Opcode, ReadOnlyMemory<byte> Payload, int Node);

/// <summary>
/// The flat, time-sorted event list of a node. Events at equal times are in composition order
/// (the order of the atomics in a left-to-right walk of the tree). The list is immutable: a
/// payload edit after compiling leaves the bytes this sequence reads unchanged (one edit per
/// atomic is remembered; after two, reading that payload here is KSQ0009).
/// </summary>
public sealed class CompiledSequence
{
    private readonly EventRecord[] _events;
    private readonly int _payloadEpoch;
    private readonly int _structureVersion;
    private IReadOnlyList<BoardTimeline>? _boards;

    internal CompiledSequence(SequenceArena arena, int root, EventRecord[] events, ulong duration)
    {
        Arena = arena;
        Root = root;
        _events = events;
        Duration = duration;
        _payloadEpoch = arena.PayloadEpoch;
        _structureVersion = arena.StructureVersion;
    }

    public SequenceArena Arena { get; }

    public int Root { get; }

    /// <summary>Total duration of the root in cycles.</summary>
    public ulong Duration { get; }

    public int Count => _events.Length;

    /// <summary>The raw records (time, atomic id), sorted.</summary>
    public ReadOnlySpan<EventRecord> Records => _events;

    internal EventRecord[] RecordArray => _events;

    public SequenceEvent this[int index]
    {
        get
        {
            var r = _events[index];
            return new(r.Time, new Channel(Arena.ChannelValues[Arena.Nodes[r.Node].A]), Arena.Nodes[r.Node].Opcode, Arena.PayloadAt(r.Node, _payloadEpoch), r.Node);
        }
    }

    public Channel ChannelAt(int index) => new(Arena.ChannelValues[Arena.Nodes[_events[index].Node].A]);

    public ushort OpcodeAt(int index) => Arena.Nodes[_events[index].Node].Opcode;

    public ReadOnlyMemory<byte> PayloadAt(int index) => Arena.PayloadAt(_events[index].Node, _payloadEpoch);

    public Enumerator GetEnumerator() => new(this);

    public SequenceEvent[] ToArray()
    {
        var result = new SequenceEvent[_events.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = this[i];
        }

        return result;
    }

    /// <summary>
    /// The per-board view: for each board (ascending) its events sorted by (time, channel), stable.
    /// A board's <see cref="BoardTimeline.TotalDuration"/> is the sequence's duration (every board
    /// runs the whole sequence, as in catseq); <see cref="BoardTimeline.LastEventEnd"/> is when its
    /// last operation ends. Computed once, O(n log n) only within groups of equal times.
    /// </summary>
    public IReadOnlyList<BoardTimeline> ByBoard()
    {
        if (_boards is { } b)
        {
            return b;
        }

        if (_structureVersion != Arena.StructureVersion)
        {
            throw new InvalidOperationException("durations changed since this sequence was compiled; compile again for the board view");
        }

        var counts = new Dictionary<int, int>();
        foreach (var r in _events)
        {
            var board = (int)(Arena.ChannelValues[Arena.Nodes[r.Node].A] >> Channel.BoardShift);
            counts[board] = counts.GetValueOrDefault(board) + 1;
        }

        var boards = counts.Keys.ToArray();
        Array.Sort(boards);
        var lists = new Dictionary<int, (int[] Items, int Fill)>(boards.Length);
        foreach (var board in boards)
        {
            lists[board] = (new int[counts[board]], 0);
        }

        for (var i = 0; i < _events.Length; i++)
        {
            var board = (int)(Arena.ChannelValues[Arena.Nodes[_events[i].Node].A] >> Channel.BoardShift);
            var (items, fill) = lists[board];
            items[fill] = i;
            lists[board] = (items, fill + 1);
        }

        var result = new BoardTimeline[boards.Length];
        for (var k = 0; k < boards.Length; k++)
        {
            var items = lists[boards[k]].Items;
            SortEqualTimesByChannel(items);
            var lastEnd = 0UL;
            foreach (var i in items)
            {
                var end = _events[i].Time + Arena.Nodes[_events[i].Node].Duration;
                lastEnd = Math.Max(lastEnd, end);
            }

            result[k] = new BoardTimeline(this, boards[k], Duration, lastEnd, items);
        }

        _boards = result;
        return result;
    }

    private void SortEqualTimesByChannel(int[] items)
    {
        var start = 0;
        while (start < items.Length)
        {
            var end = start + 1;
            var t = _events[items[start]].Time;
            while (end < items.Length && _events[items[end]].Time == t)
            {
                end++;
            }

            if (end - start > 1)
            {
                // Stable by (channel, original index): indices are ascending within the group.
                var span = items.AsSpan(start, end - start);
                span.Sort((x, y) =>
                {
                    var cx = Arena.ChannelValues[Arena.Nodes[_events[x].Node].A];
                    var cy = Arena.ChannelValues[Arena.Nodes[_events[y].Node].A];
                    return cx != cy ? cx.CompareTo(cy) : x.CompareTo(y);
                });
            }

            start = end;
        }
    }

    public struct Enumerator(CompiledSequence sequence)
    {
        private int _index = -1;

        public readonly SequenceEvent Current => sequence[_index];

        public bool MoveNext() => ++_index < sequence.Count;
    }
}

/// <summary>One board's events, sorted by (time, channel).</summary>
public sealed class BoardTimeline
{
    private readonly CompiledSequence _sequence;
    private readonly int[] _indices;

    internal BoardTimeline(CompiledSequence sequence, int board, ulong totalDuration, ulong lastEventEnd, int[] indices)
    {
        _sequence = sequence;
        Board = board;
        TotalDuration = totalDuration;
        LastEventEnd = lastEventEnd;
        _indices = indices;
    }

    public int Board { get; }

    public ulong TotalDuration { get; }

    public ulong LastEventEnd { get; }

    public int Count => _indices.Length;

    /// <summary>Indices into the compiled sequence, in board order.</summary>
    public ReadOnlySpan<int> EventIndices => _indices;

    public SequenceEvent this[int index] => _sequence[_indices[index]];
}
