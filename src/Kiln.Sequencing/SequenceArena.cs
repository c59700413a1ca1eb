using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kiln.Sequencing;

/// <summary>The four node kinds.</summary>
public enum NodeKind : byte
{
    /// <summary>One operation on one channel: duration, opcode, payload; one event at its start.</summary>
    Atomic = 0,
    /// <summary>A duration with no event (catseq emits waits as opcode-0 events; Kiln does not).</summary>
    Wait = 1,
    /// <summary>Children one after another; duration = sum.</summary>
    Serial = 2,
    /// <summary>Children side by side from the same start; duration = max; channels must be disjoint.</summary>
    Parallel = 3,
}

/// <summary>
/// The node store. Nodes are structs-of-arrays indexed by <c>int</c> ids, appended and never
/// removed; children of serial and parallel nodes live in one flat edge table (a node holds its
/// first edge and its child count). Payload bytes are held by reference in one cell per atomic
/// and never copied: growing the arena copies references only. A node's kind, channel, opcode and
/// children never change; what can change is an atomic's payload (<see cref="UpdatePayload"/>) and
/// durations bound to a <see cref="Parameter"/>.
/// <para>Building is O(1) per node plus O(k) for a k-ary composite: durations (checked, never
/// wrapping), event counts and a structural fingerprint are computed from the children, and no
/// channel set is kept per node. Parallel operands' channels are checked for disjointness by the
/// compilers in one amortized O(1) step per event (see <see cref="SequenceCompiler"/>), or on
/// request with <see cref="Validate"/>.</para>
/// <para>Not thread-safe for writes; compiling from several threads while nobody writes is fine.</para>
/// </summary>
public sealed class SequenceArena
{
    /// <summary>The hot per-node fields in one 32-byte struct, so a visit touches one cache line.</summary>
    internal NodeData[] Nodes;

    /// <summary>
    /// Per node, the one channel (dense index) all its events use when it holds no parallel node,
    /// else <see cref="MixedChannels"/>; <see cref="NoChannel"/> for a node without atomics. A
    /// compile checks the channel rule once for such a subtree instead of once per event.
    /// </summary>
    internal int[] SoleChannel;

    internal const int MixedChannels = -1;
    internal const int NoChannel = -2;
    internal ulong[] Fingerprints;
    internal int[] ChangedAt;
    private int[] _firstUse;
    internal int[] Edges;
    private int[] _edgeOwner;
    private int[] _nextUse;
    internal int EdgeCount;

    internal uint[] ChannelValues;
    private int _channelCount;
    private readonly Dictionary<uint, int> _channelIndex = [];
    private uint _lastChannel = uint.MaxValue;
    private int _lastChannelIndex = -1;

    private ReadOnlyMemory<byte>[] _cellData;
    private int[] _cellSince;
    private ReadOnlyMemory<byte>[] _cellPrev;
    private int[] _cellPrevSince;
    private int _cellCount;

    private readonly List<Parameter> _parameters = [];

    public SequenceArena(SequenceClock? clock = null, int capacity = 16)
    {
        Clock = clock ?? SequenceClock.Default;
        capacity = Math.Max(capacity, 4);
        Nodes = new NodeData[capacity];
        SoleChannel = new int[capacity];
        Fingerprints = new ulong[capacity];
        ChangedAt = new int[capacity];
        _firstUse = new int[capacity];
        Edges = new int[capacity];
        _edgeOwner = new int[capacity];
        _nextUse = new int[capacity];
        ChannelValues = new uint[16];
        _cellData = new ReadOnlyMemory<byte>[capacity];
        _cellSince = new int[capacity];
        _cellPrev = new ReadOnlyMemory<byte>[capacity];
        _cellPrevSince = new int[capacity];
    }

    public SequenceClock Clock { get; }

    /// <summary>Number of nodes; ids are 0 .. Count-1.</summary>
    public int Count { get; private set; }

    /// <summary>Number of distinct channels used by atomics so far.</summary>
    public int ChannelCount => _channelCount;

    /// <summary>Bumped by every payload edit; a compiled sequence remembers the value it saw.</summary>
    internal int PayloadEpoch { get; private set; }

    /// <summary>Bumped by every duration change; cached results newer than a node's <see cref="ChangedAt"/> stay valid.</summary>
    internal int StructureVersion { get; private set; }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    // ---------------------------------------------------------------- building

    public SeqNode Atomic(Channel channel, ulong cycles, ushort opcode, ReadOnlyMemory<byte> payload = default) =>
        new(this, AddAtomic(channel, cycles, opcode, payload));

    public SeqNode Atomic(Channel channel, SeqDuration duration, ushort opcode, ReadOnlyMemory<byte> payload = default)
    {
        var cycles = ResolveDuration(duration, Count);
        var id = AddAtomic(channel, cycles, opcode, payload);
        duration.Parameter?.DurationUses.Add((id, duration.Unit));
        return new(this, id);
    }

    /// <summary>An atomic whose payload is <paramref name="encode"/>(value of <paramref name="parameter"/>), re-encoded when it changes.</summary>
    public SeqNode Atomic(Channel channel, SeqDuration duration, ushort opcode, Parameter parameter, Func<double, ReadOnlyMemory<byte>> encode)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(encode);
        CheckParameter(parameter);
        var node = Atomic(channel, duration, opcode, encode(parameter.Value));
        parameter.PayloadUses.Add((node.Id, encode));
        return node;
    }

    public SeqNode Wait(ulong cycles) => new(this, AddWait(cycles));

    public SeqNode Wait(SeqDuration duration)
    {
        var cycles = ResolveDuration(duration, Count);
        var id = AddWait(cycles);
        duration.Parameter?.DurationUses.Add((id, duration.Unit));
        return new(this, id);
    }

    public SeqNode Serial(params ReadOnlySpan<SeqNode> children) => new(this, AddComposite(NodeKind.Serial, Ids(children)));

    public SeqNode Parallel(params ReadOnlySpan<SeqNode> children) => new(this, AddComposite(NodeKind.Parallel, Ids(children)));

    /// <summary>Wraps an existing id.</summary>
    public SeqNode Node(int id)
    {
        CheckId(id);
        return new(this, id);
    }

    internal int AddAtomic(Channel channel, ulong cycles, ushort opcode, ReadOnlyMemory<byte> payload)
    {
        var id = NewNode(NodeKind.Atomic);
        var ch = ChannelIndex(channel.Value);
        if (_cellCount == _cellData.Length)
        {
            var n = _cellCount * 2;
            Array.Resize(ref _cellData, n);
            Array.Resize(ref _cellSince, n);
            Array.Resize(ref _cellPrev, n);
            Array.Resize(ref _cellPrevSince, n);
        }

        var cell = _cellCount++;
        _cellData[cell] = payload;
        _cellSince[cell] = 0;
        _cellPrevSince[cell] = int.MaxValue;
        Nodes[id].A = ch;
        SoleChannel[id] = ch;
        Nodes[id].B = cell;
        Nodes[id].Opcode = opcode;
        Nodes[id].Duration = cycles;
        Nodes[id].Events = 1;
        Fingerprints[id] = Mix(Mix(Mix(0xA7A7_0001UL, channel.Value), opcode), cycles);
        return id;
    }

    internal int AddWait(ulong cycles)
    {
        var id = NewNode(NodeKind.Wait);
        Nodes[id].A = -1;
        Nodes[id].B = -1;
        SoleChannel[id] = NoChannel;
        Nodes[id].Duration = cycles;
        Nodes[id].Events = 0;
        Fingerprints[id] = Mix(0xA7A7_0002UL, cycles);
        return id;
    }

    internal int AddSerial(int a, int b) => AddComposite(NodeKind.Serial, [a, b]);

    internal int AddParallel(int a, int b) => AddComposite(NodeKind.Parallel, [a, b]);

    internal int AddComposite(NodeKind kind, ReadOnlySpan<int> children)
    {
        var duration = 0UL;
        var events = 0L;
        if (kind is not (NodeKind.Serial or NodeKind.Parallel))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        var fp = Mix(kind == NodeKind.Serial ? 0xA7A7_0003UL : 0xA7A7_0004UL, (ulong)children.Length);
        var sole = kind == NodeKind.Serial ? NoChannel : MixedChannels;
        foreach (var c in children)
        {
            CheckId(c);
            var childSole = SoleChannel[c];
            if (sole == NoChannel || childSole == MixedChannels)
            {
                sole = childSole;
            }
            else if (childSole != NoChannel && childSole != sole)
            {
                sole = MixedChannels;
            }

            var d = Nodes[c].Duration;
            if (kind == NodeKind.Serial)
            {
                if (duration > ulong.MaxValue - d)
                {
                    throw new SequenceException(SequenceDiagnostics.DurationOverflow, [.. children], "serial composition of nodes " + string.Join(", ", children.ToArray()));
                }

                duration += d;
            }
            else if (d > duration)
            {
                duration = d;
            }

            events += Nodes[c].Events;
            fp = Mix(fp, Fingerprints[c]);
        }

        var id = NewNode(kind);
        EnsureEdgeCapacity(children.Length);
        var first = EdgeCount;
        for (var i = 0; i < children.Length; i++)
        {
            var c = children[i];
            var e = first + i;
            Edges[e] = c;
            _edgeOwner[e] = id;
            _nextUse[e] = _firstUse[c];
            _firstUse[c] = e;
            Nodes[c].Uses++;
        }

        EdgeCount += children.Length;
        Nodes[id].A = first;
        Nodes[id].B = children.Length;
        Nodes[id].Duration = duration;
        Nodes[id].Events = (int)Math.Min(events, int.MaxValue);
        SoleChannel[id] = sole;
        Fingerprints[id] = fp;
        return id;
    }

    private int NewNode(NodeKind kind)
    {
        if (Count == Nodes.Length)
        {
            var n = Count * 2;
            Array.Resize(ref Nodes, n);
            Array.Resize(ref SoleChannel, n);
            Array.Resize(ref Fingerprints, n);
            Array.Resize(ref ChangedAt, n);
            Array.Resize(ref _firstUse, n);
        }

        var id = Count++;
        Nodes[id].Kind = kind;
        _firstUse[id] = -1;
        return id;
    }

    private void EnsureEdgeCapacity(int extra)
    {
        if (EdgeCount + extra <= Edges.Length)
        {
            return;
        }

        var n = Math.Max(Edges.Length * 2, EdgeCount + extra);
        Array.Resize(ref Edges, n);
        Array.Resize(ref _edgeOwner, n);
        Array.Resize(ref _nextUse, n);
    }

    private int ChannelIndex(uint channel)
    {
        if (channel == _lastChannel)
        {
            return _lastChannelIndex;
        }

        if (!_channelIndex.TryGetValue(channel, out var index))
        {
            index = _channelCount++;
            _channelIndex.Add(channel, index);
            if (index == ChannelValues.Length)
            {
                Array.Resize(ref ChannelValues, index * 2);
            }

            ChannelValues[index] = channel;
        }

        _lastChannel = channel;
        _lastChannelIndex = index;
        return index;
    }

    private int[] Ids(ReadOnlySpan<SeqNode> nodes)
    {
        var ids = new int[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!ReferenceEquals(nodes[i].Arena, this))
            {
                throw new SequenceException(SequenceDiagnostics.ForeignNode, [nodes[i].Id], nodes[i].Id);
            }

            ids[i] = nodes[i].Id;
        }

        return ids;
    }

    internal void CheckId(int id)
    {
        if ((uint)id >= (uint)Count)
        {
            throw new SequenceException(SequenceDiagnostics.ForeignNode, [id], id);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong h, ulong x)
    {
        h ^= x;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 31;
        h *= 0x94D049BB133111EBUL;
        return h ^ (h >> 29);
    }

    // ---------------------------------------------------------------- queries

    public NodeKind KindOf(int id)
    {
        CheckId(id);
        return Nodes[id].Kind;
    }

    public ulong DurationOf(int id)
    {
        CheckId(id);
        return Nodes[id].Duration;
    }

    /// <summary>Number of events the node produces (an atomic 1, a wait 0, a composite the sum of its children; saturates at 2^31-1, which no compiled sequence can hold: KSQ0007).</summary>
    public int EventCountOf(int id)
    {
        CheckId(id);
        return Nodes[id].Events;
    }

    /// <summary>The channel of an atomic.</summary>
    public Channel ChannelOf(int id)
    {
        CheckAtomic(id);
        return new(ChannelValues[Nodes[id].A]);
    }

    public ushort OpcodeOf(int id)
    {
        CheckAtomic(id);
        return Nodes[id].Opcode;
    }

    /// <summary>The current payload of an atomic (the bytes handed in; not copied).</summary>
    public ReadOnlyMemory<byte> PayloadOf(int id)
    {
        CheckAtomic(id);
        return _cellData[Nodes[id].B];
    }

    /// <summary>The children of a serial or parallel node (empty for atomics and waits).</summary>
    public ReadOnlySpan<int> ChildrenOf(int id)
    {
        CheckId(id);
        return Nodes[id].Kind is NodeKind.Serial or NodeKind.Parallel ? Edges.AsSpan(Nodes[id].A, Nodes[id].B) : [];
    }

    /// <summary>How many composite nodes use this node as a child.</summary>
    public int UseCount(int id)
    {
        CheckId(id);
        return Nodes[id].Uses;
    }

    /// <summary>The structural fingerprint (equal for equal subtrees built separately, payload bytes aside).</summary>
    public ulong FingerprintOf(int id)
    {
        CheckId(id);
        return Fingerprints[id];
    }

    /// <summary>Checks the channel rule of every parallel node under <paramref name="root"/> (same check the compilers make).</summary>
    public void Validate(SeqNode root) => SequenceCompiler.Compile(root);

    private void CheckAtomic(int id)
    {
        CheckId(id);
        if (Nodes[id].Kind != NodeKind.Atomic)
        {
            throw new SequenceException(SequenceDiagnostics.NotAtomic, [id], id, Nodes[id].Kind.ToString().ToLowerInvariant());
        }
    }

    // ---------------------------------------------------------------- payloads

    /// <summary>
    /// Replaces an atomic's payload (backpatching). O(1): compiled results refer to payload cells,
    /// so every cached result that contains the atomic is patched in place and nothing is
    /// invalidated. A sequence compiled before the edit still reads the bytes it was compiled with
    /// (one earlier value per atomic is kept; a second edit makes them unreadable there: KSQ0009).
    /// </summary>
    public void UpdatePayload(SeqNode atomic, ReadOnlyMemory<byte> payload)
    {
        if (!ReferenceEquals(atomic.Arena, this))
        {
            throw new SequenceException(SequenceDiagnostics.ForeignNode, [atomic.Id], atomic.Id);
        }

        UpdatePayload(atomic.Id, payload);
    }

    public void UpdatePayload(int atomic, ReadOnlyMemory<byte> payload)
    {
        CheckAtomic(atomic);
        var cell = Nodes[atomic].B;
        _cellPrev[cell] = _cellData[cell];
        _cellPrevSince[cell] = _cellSince[cell];
        _cellData[cell] = payload;
        _cellSince[cell] = ++PayloadEpoch;
    }

    /// <summary>The payload of <paramref name="atomic"/> as it was at payload epoch <paramref name="epoch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ReadOnlyMemory<byte> PayloadAt(int atomic, int epoch)
    {
        var cell = Nodes[atomic].B;
        if (_cellSince[cell] <= epoch)
        {
            return _cellData[cell];
        }

        if (_cellPrevSince[cell] <= epoch)
        {
            return _cellPrev[cell];
        }

        throw new SequenceException(SequenceDiagnostics.StalePayload, [atomic], atomic);
    }

    internal bool SamePayload(int a, int b)
    {
        var x = _cellData[Nodes[a].B];
        var y = _cellData[Nodes[b].B];
        return x.Span.SequenceEqual(y.Span);
    }

    // ---------------------------------------------------------------- parameters

    public Parameter DefineParameter(string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var p = new Parameter(this, _parameters.Count, name, value);
        _parameters.Add(p);
        return p;
    }

    /// <summary>
    /// Sets a parameter. Payloads that depend on it are re-encoded and patched in place (no cached
    /// result is invalidated); durations that depend on it are recomputed with the durations of
    /// every node above them (checked for overflow before anything is changed), and exactly those
    /// nodes' cached results are invalidated.
    /// </summary>
    public ParameterChange SetParameter(Parameter parameter, double value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckParameter(parameter);
        if (parameter.Value.Equals(value))
        {
            return ParameterChange.None;
        }

        var durationsChanged = false;
        if (parameter.DurationUses.Count > 0)
        {
            var changes = new List<(int Node, ulong Cycles)>(parameter.DurationUses.Count);
            foreach (var (node, unit) in parameter.DurationUses)
            {
                if (!Clock.TryToCycles(value, unit, out var cycles, out var error))
                {
                    throw new SequenceException(SequenceDiagnostics.BadParameterValue, [node], parameter.Name, value.ToString("R", CultureInfo.InvariantCulture), node, error!.Detail);
                }

                if (cycles != Nodes[node].Duration)
                {
                    changes.Add((node, cycles));
                }
            }

            if (changes.Count > 0)
            {
                ApplyDurationChanges(changes);
                durationsChanged = true;
            }
        }

        parameter.Value = value;
        foreach (var (node, encode) in parameter.PayloadUses)
        {
            UpdatePayload(node, encode(value));
        }

        return durationsChanged ? ParameterChange.Durations : parameter.PayloadUses.Count > 0 ? ParameterChange.PayloadsOnly : ParameterChange.None;
    }

    private void CheckParameter(Parameter parameter)
    {
        if (!ReferenceEquals(parameter.Arena, this))
        {
            throw new ArgumentException("the parameter belongs to another arena", nameof(parameter));
        }
    }

    private ulong ResolveDuration(SeqDuration duration, int node)
    {
        if (duration.Parameter is not { } p)
        {
            return duration.Cycles;
        }

        CheckParameter(p);
        if (!Clock.TryToCycles(p.Value, duration.Unit, out var cycles, out var error))
        {
            throw new SequenceException(SequenceDiagnostics.BadParameterValue, [node], p.Name, p.Value.ToString("R", CultureInfo.InvariantCulture), node, error!.Detail);
        }

        return cycles;
    }

    /// <summary>
    /// Recomputes the durations and fingerprints of the changed leaves and all their ancestors
    /// (found through the reverse edge lists), children before parents (ids are topological:
    /// a child is always older than its parent). Nothing is written until every sum is known not
    /// to overflow. O(ancestors + their children).
    /// </summary>
    private void ApplyDurationChanges(List<(int Node, ulong Cycles)> changes)
    {
        var fresh = new Dictionary<int, ulong>(changes.Count * 2);
        var dirty = new List<int>(changes.Count * 2);
        var stack = new Stack<int>();
        foreach (var (node, cycles) in changes)
        {
            fresh[node] = cycles;
            stack.Push(node);
        }

        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n))
            {
                continue;
            }

            dirty.Add(n);
            for (var e = _firstUse[n]; e >= 0; e = _nextUse[e])
            {
                stack.Push(_edgeOwner[e]);
            }
        }

        dirty.Sort();
        foreach (var n in dirty)
        {
            if (Nodes[n].Kind is NodeKind.Atomic or NodeKind.Wait)
            {
                continue;
            }

            var first = Nodes[n].A;
            var end = first + Nodes[n].B;
            var d = 0UL;
            for (var e = first; e < end; e++)
            {
                var c = Edges[e];
                var cd = fresh.TryGetValue(c, out var v) ? v : Nodes[c].Duration;
                if (Nodes[n].Kind == NodeKind.Serial)
                {
                    if (d > ulong.MaxValue - cd)
                    {
                        throw new SequenceException(SequenceDiagnostics.DurationOverflow, [n], "serial node " + n.ToString(CultureInfo.InvariantCulture));
                    }

                    d += cd;
                }
                else if (cd > d)
                {
                    d = cd;
                }
            }

            fresh[n] = d;
        }

        StructureVersion++;
        foreach (var n in dirty)
        {
            Nodes[n].Duration = fresh[n];
            ChangedAt[n] = StructureVersion;
            switch (Nodes[n].Kind)
            {
                case NodeKind.Atomic:
                    Fingerprints[n] = Mix(Mix(Mix(0xA7A7_0001UL, ChannelValues[Nodes[n].A]), Nodes[n].Opcode), Nodes[n].Duration);
                    break;
                case NodeKind.Wait:
                    Fingerprints[n] = Mix(0xA7A7_0002UL, Nodes[n].Duration);
                    break;
                default:
                    var fp = Mix(Nodes[n].Kind == NodeKind.Serial ? 0xA7A7_0003UL : 0xA7A7_0004UL, (ulong)Nodes[n].B);
                    for (var e = Nodes[n].A; e < Nodes[n].A + Nodes[n].B; e++)
                    {
                        fp = Mix(fp, Fingerprints[Edges[e]]);
                    }

                    Fingerprints[n] = fp;
                    break;
            }
        }
    }
}

/// <summary>
/// A node's hot fields. For an atomic: A = dense channel index, B = payload cell. For a serial or
/// parallel node: A = first edge, B = child count. Events saturates at int.MaxValue.
/// </summary>
internal struct NodeData
{
    public ulong Duration;
    public int A;
    public int B;
    public int Events;
    public int Uses;
    public NodeKind Kind;
    public ushort Opcode;
}
