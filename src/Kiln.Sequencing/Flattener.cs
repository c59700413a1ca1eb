using System.Runtime.CompilerServices;

namespace Kiln.Sequencing;

/// <summary>
/// The flattening machine both compilers run: an explicit work stack, no recursion, no frame per
/// serial node. A node's events are written in a left-to-right walk straight into the output
/// array (its size is the root's event count, known before starting) with absolute times. A
/// serial node at time t pushes its children with their start times (computed backwards from
/// t + duration, so O(k) for k children) and is then forgotten: a serial region is sorted
/// because each child's events lie within [its start, its end] and the next child starts at that
/// end. A parallel node opens a frame, pushes an end marker and its children; the end marker
/// merges the children's regions (runs). A parallel child of a parallel node is transparent: its
/// children's runs belong to the parent, so <c>a | b | c | …</c> nested either way is one k-way
/// merge, not one merge per level. A merge first drops the run boundaries already in order (the
/// block-copy case costs one comparison per run), then merges pairs of runs, trimming the parts
/// already in place by binary search, and swaps whole blocks when one run lies entirely before
/// the other. Every merge is stable with the left run first on equal times, so ties keep
/// composition order on every path.
/// <para>Channel rule: for each channel the machine remembers the output position of its last use
/// (a stamp). A use conflicts exactly when the deepest open parallel frame that began at or before
/// the previous use began its current child after it (the two uses lie in different operands of
/// that parallel node). Comparing consecutive uses per channel suffices, so the check costs O(1)
/// per event (O(log depth) only under deep nests of parallel nodes), needs no channel sets, and
/// is skipped while no parallel frame is open (such a use can never be the earlier half of a
/// conflict). A serial subtree whose events all use one channel (what a pulse train on one line
/// is) is checked once, at its first event (<see cref="EnterOneChannel"/>).</para>
/// </summary>
internal sealed partial class Flattener
{
    [ThreadStatic]
    private static Flattener? t_spare;

    private const int Plain = -1;
    private const int EndParallel = -2;
    private const int EndCapture = -3;

    /// <summary>Tags at or below this: an atomic later child of a serial node, on channel <c>AtomicTag - tag</c>.</summary>
    private const int AtomicTag = -4;

    /// <summary>An atomic later child of a one-channel serial node whose channel rule is checked already (<see cref="EnterOneChannel"/>).</summary>
    private const int CheckedAtomic = int.MinValue;

    /// <summary>A pending node (Tag ≥ 0: a child of parallel frame Tag; -1 plain) or an end marker.</summary>
    private struct Item
    {
        public ulong Time;
        public int Node;
        public int Tag;
    }

    /// <summary>
    /// An open parallel node. <see cref="ChildStart"/> (where its current operand began) is kept
    /// in <c>_childStart</c> while the frame is the deepest, and saved here when a deeper one opens.
    /// </summary>
    private struct ParFrame
    {
        public int Node;
        public int FrameStart;
        public int ChildStart;
        public int RunBase;
    }

    private struct CaptureFrame
    {
        public int Node;
        public int OutStart;
        public ulong Start;
    }

    private SequenceArena _arena = null!;
    private IncrementalCompiler? _cache;
    private EventRecord[] _out = [];
    private int _pos;
    private Item[] _items = new Item[64];
    private int _itemCount;
    private int[] _runs = new int[64];
    private int _runCount;
    private ParFrame[] _par = new ParFrame[16];
    private int _parDepth;
    private CaptureFrame[] _captures = new CaptureFrame[16];
    private int _captureDepth;
    // Channel stamps (base + output position) of this Flattener's compiles: a stamp below the current
    // base is from an earlier compile, so the array needs no clearing until the 32-bit range runs out.
    private uint[] _lastUse = [];
    private uint _base;
    private uint _nextBase = 1;
    private int _minCached;
    private int _childStart;
    private EventRecord[] _scratch = [];
    private int[] _seen = [];
    private int _seenGeneration;
    private int[] _map = [];

    internal static Flattener Rent()
    {
        var f = t_spare;
        t_spare = null;
        return f ?? new Flattener();
    }

    internal static void Return(Flattener f)
    {
        f._arena = null!;
        f._cache = null;
        f._out = [];
        t_spare = f;
    }

    /// <summary>Compiles <paramref name="root"/> into a new array.</summary>
    internal EventRecord[] Run(SequenceArena arena, int root, IncrementalCompiler? cache)
    {
        var total = EventsToWrite(arena, root);
        var output = total == 0 ? [] : GC.AllocateUninitializedArray<EventRecord>(total);
        RunInto(arena, root, cache, output);
        return output;
    }

    /// <summary>Compiles <paramref name="root"/> into <paramref name="output"/>[0..events), which is at least that long.</summary>
    internal void RunInto(SequenceArena arena, int root, IncrementalCompiler? cache, EventRecord[] output)
    {
        if (arena.Nodes[root].Events >= ParallelThreshold && Environment.ProcessorCount > 1 && TryRunParallel(arena, root, cache, output))
        {
            return;
        }

        Begin(arena, cache, output);
        Emit(root, 0);
    }

    /// <summary>The root's event count, or KSQ0007 when no array can hold it.</summary>
    internal static int EventsToWrite(SequenceArena arena, int root)
    {
        var total = arena.Nodes[root].Events;
        if (total > Array.MaxLength)
        {
            throw new SequenceException(SequenceDiagnostics.TooManyEvents, [root], root, "2^31-1 or more", Array.MaxLength);
        }

        return total;
    }

    internal void Begin(SequenceArena arena, IncrementalCompiler? cache, EventRecord[] output, int start = 0)
    {
        _arena = arena;
        _cache = cache;
        _out = output;
        _pos = start;
        _itemCount = 0;
        _runCount = 0;
        _parDepth = 0;
        _captureDepth = 0;
        _minCached = cache?.MinCachedEvents ?? int.MaxValue;
        if (_lastUse.Length < arena.ChannelCount)
        {
            _lastUse = new uint[Math.Max(arena.ChannelCount, _lastUse.Length * 2)];
        }

        if ((ulong)_nextBase + (uint)output.Length + 1 > uint.MaxValue)
        {
            Array.Clear(_lastUse);
            _nextBase = 1;
        }

        _base = _nextBase;
        _nextBase = _base + (uint)output.Length + 1;
    }

    internal EventRecord[] Output => _out;

    /// <summary>Emits <paramref name="node"/> starting at time <paramref name="start"/> at the current position.</summary>
    internal void Emit(int node, ulong start)
    {
        Push(start, node, Plain);
        Loop();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ulong time, int node, int tag)
    {
        if (_itemCount == _items.Length)
        {
            GrowItems(_itemCount + 1);
        }

        ref var item = ref _items[_itemCount++];
        item.Time = time;
        item.Node = node;
        item.Tag = tag;
    }

    /// <summary>
    /// The machine's loop. Its hot state (the work stack's count, the output position) lives in
    /// locals so that the JIT keeps it in registers; every rare step (frames, merges, the cache,
    /// a channel conflict, growing the stack) is a call that sees that state through the fields,
    /// synchronised around the call. Keep calls out of the per-event path: each one forces the
    /// JIT to spill what is live across it.
    /// </summary>
    private void Loop()
    {
        var nodes = _arena.Nodes;
        var edges = _arena.Edges;
        var output = _out;
        var items = _items;
        var count = _itemCount;
        var pos = _pos;
        while (count > 0)
        {
            ref var item = ref items[--count];
            var c = item.Node;
            var t = item.Time;
            var tag = item.Tag;
            if (tag <= AtomicTag)
            {
                // An atomic pushed by a serial node: its channel came with it, the node need not be read.
                if (tag != CheckedAtomic && _parDepth > 0)
                {
                    Touch(AtomicTag - tag, pos);
                }

                output[pos++] = new(t, c);
                continue;
            }

            // Descend the first child of serial nodes directly; only their later children are pushed.
            while (true)
            {
                if (tag >= 0)
                {
                    _childStart = pos;
                }
                else if (tag != Plain)
                {
                    _pos = pos;
                    _itemCount = count;
                    if (tag == EndParallel)
                    {
                        FinishParallel();
                    }
                    else
                    {
                        FinishCapture();
                    }

                    break;
                }

                ref var n = ref nodes[c];
                if (n.Kind == NodeKind.Atomic)
                {
                    if (tag >= 0 && (_runCount == _par[tag].RunBase || output[pos - 1].Time > t))
                    {
                        PushRun(pos);
                    }

                    if (_parDepth > 0)
                    {
                        Touch(n.A, pos);
                    }

                    output[pos++] = new(t, c);
                    break;
                }

                if (n.Kind == NodeKind.Wait || n.Events == 0)
                {
                    break;
                }

                var candidate = IsCandidate(ref n);
                if (tag == Plain && n.Kind == NodeKind.Serial && !candidate)
                {
                    // The serial fast path, for chains however nested (what `a >> b >> c …`
                    // builds): leading atomics are written, later children pushed, and the walk
                    // goes on down the first other child while it is a plain serial node too.
                    var oneChannel = EnterOneChannel(c, pos);
                    var done = false;
                    while (true)
                    {
                        ref var sn = ref nodes[c];
                        var e2 = sn.A;
                        var end2 = e2 + sn.B;
                        var t2 = t;
                        if (nodes[edges[e2]].Kind != NodeKind.Serial)
                        {
                            for (; e2 < end2; e2++)
                            {
                                var child = edges[e2];
                                ref var cn = ref nodes[child];
                                if (cn.Kind == NodeKind.Atomic)
                                {
                                    if (!oneChannel && _parDepth > 0)
                                    {
                                        Touch(cn.A, pos);
                                    }

                                    output[pos++] = new(t2, child);
                                }
                                else if (cn.Kind != NodeKind.Wait && cn.Events != 0)
                                {
                                    break;
                                }

                                t2 += cn.Duration;
                            }

                            if (e2 == end2)
                            {
                                done = true;
                                break;
                            }
                        }

                        var later2 = end2 - 1 - e2;
                        items = Room(items, count, later2);

                        count = PushLaterChildren(items, count, nodes, edges, e2, end2, t + sn.Duration, oneChannel);

                        c = edges[e2];
                        t = t2;
                        ref var next = ref nodes[c];
                        if (!WalksOn(ref next, NodeKind.Serial))
                        {
                            break;
                        }
                    }

                    if (done)
                    {
                        break;
                    }

                    continue;
                }

                if (tag >= 0 && n.Kind == NodeKind.Parallel && !candidate)
                {
                    // The transparent parallel fast path (a parallel operand of frame `tag`, however
                    // nested: what `a | b | c …` builds): its operands are the frame's operands, all
                    // starting at t. Leading atomics are written, later operands pushed into the
                    // frame, and the walk goes on down the first other operand while it is a
                    // transparent parallel too.
                    var done = false;
                    while (true)
                    {
                        ref var pn = ref nodes[c];
                        var e2 = pn.A;
                        var end2 = e2 + pn.B;
                        if (nodes[edges[e2]].Kind != NodeKind.Parallel)
                        {
                            for (; e2 < end2; e2++)
                            {
                                var child = edges[e2];
                                ref var cn = ref nodes[child];
                                if (cn.Kind == NodeKind.Atomic)
                                {
                                    _childStart = pos;
                                    if (_runCount == _par[tag].RunBase || output[pos - 1].Time > t)
                                    {
                                        PushRun(pos);
                                    }

                                    Touch(cn.A, pos);
                                    output[pos++] = new(t, child);
                                }
                                else if (cn.Kind != NodeKind.Wait && cn.Events != 0)
                                {
                                    break;
                                }
                            }

                            if (e2 == end2)
                            {
                                done = true;
                                break;
                            }
                        }

                        var later2 = end2 - 1 - e2;
                        items = Room(items, count, later2);

                        for (var k = end2 - 1; k > e2; k--)
                        {
                            ref var slot = ref items[count++];
                            slot.Time = t;
                            slot.Node = edges[k];
                            slot.Tag = tag;
                        }

                        c = edges[e2];
                        ref var next = ref nodes[c];
                        if (!WalksOn(ref next, NodeKind.Parallel))
                        {
                            break;
                        }
                    }

                    if (done)
                    {
                        break;
                    }

                    continue;
                }

                // The general path: a cache candidate, a serial operand of a parallel, or a
                // parallel that opens a frame.
                if (tag >= 0)
                {
                    PushRun(pos);
                }

                if (candidate)
                {
                    _pos = pos;
                    _itemCount = count;
                    var hit = EmitHitOrCapture(c, t);
                    pos = _pos;
                    items = _items;
                    count = _itemCount;
                    if (hit)
                    {
                        break;
                    }
                }

                var first = n.A;
                var end = first + n.B;
                var serial = n.Kind == NodeKind.Serial;
                var pi = serial ? -1 : OpenFrame(c, pos);
                var checkedChannel = serial && EnterOneChannel(c, pos);

                // Leading atomics and waits are emitted here, without a trip through the stack.
                var e = first;
                var tt = t;
                for (; e < end; e++)
                {
                    var child = edges[e];
                    ref var cn = ref nodes[child];
                    if (cn.Kind == NodeKind.Atomic)
                    {
                        if (!serial)
                        {
                            _childStart = pos;
                            if (_runCount == _par[pi].RunBase || output[pos - 1].Time > tt)
                            {
                                PushRun(pos);
                            }
                        }

                        if (!checkedChannel && _parDepth > 0)
                        {
                            Touch(cn.A, pos);
                        }

                        output[pos++] = new(tt, child);
                    }
                    else if (cn.Kind != NodeKind.Wait && cn.Events != 0)
                    {
                        break;
                    }

                    if (serial)
                    {
                        tt += cn.Duration;
                    }
                }

                if (e == end)
                {
                    if (!serial)
                    {
                        _pos = pos;
                        FinishParallel();
                    }

                    break;
                }

                // Later children, pushed from the last backwards; a parallel's end marker lies below them.
                var later = end - 1 - e + (serial ? 0 : 1);
                items = Room(items, count, later);

                if (serial)
                {
                    count = PushLaterChildren(items, count, nodes, edges, e, end, t + n.Duration, checkedChannel);

                    c = edges[e];
                    t = tt;
                    tag = Plain;
                    continue;
                }

                ref var marker = ref items[count++];
                marker.Time = 0;
                marker.Node = c;
                marker.Tag = EndParallel;

                for (var k = end - 1; k > e; k--)
                {
                    ref var slot = ref items[count++];
                    slot.Time = t;
                    slot.Node = edges[k];
                    slot.Tag = pi;
                }

                c = edges[e];
                tag = pi;
            }
        }

        _pos = pos;
        _itemCount = 0;
    }

    /// <summary>
    /// Pushes the children of a serial node after <paramref name="current"/> (edges up to
    /// <paramref name="end"/>), the last first, each with its start time: computed backwards from
    /// the node's end time <paramref name="nodeEnd"/>, so no prefix sums are needed. An atomic
    /// carries its channel in its tag (or <see cref="CheckedAtomic"/> when the node's channel rule
    /// is checked already). The stack has room; returns the new count. Takes and returns the count
    /// by value so that the caller's count stays in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PushLaterChildren(Item[] items, int count, NodeData[] nodes, int[] edges, int current, int end, ulong nodeEnd, bool channelChecked)
    {
        var cursor = nodeEnd;
        for (var k = end - 1; k > current; k--)
        {
            var child = edges[k];
            ref var cd = ref nodes[child];
            cursor -= cd.Duration;
            ref var slot = ref items[count++];
            slot.Time = cursor;
            slot.Node = child;
            slot.Tag = cd.Kind != NodeKind.Atomic ? Plain : channelChecked ? CheckedAtomic : AtomicTag - cd.A;
        }

        return count;
    }

    /// <summary>
    /// Entering serial node <paramref name="node"/>, whose first event goes to <paramref name="pos"/>:
    /// when a parallel frame is open and all its events use one channel (it holds no parallel node),
    /// checks the channel rule for that channel here, once, and returns true: its events then need
    /// no check one by one. That is exact: every later use inside it follows one of its own, in the
    /// same operand of every open frame (no frame opens inside it), and its first use as the
    /// channel's stamp answers every later check as its last would (no frame began in between).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool EnterOneChannel(int node, int pos)
    {
        if (_parDepth > 0)
        {
            var channel = _arena.SoleChannel[node];
            if (channel >= 0)
            {
                Touch(channel, pos);
                return true;
            }
        }

        return false;
    }

    /// <summary>A node the cache looks up (and stores): enough events and used twice or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsCandidate(ref NodeData n) => n.Events >= _minCached && n.Uses >= 2;

    /// <summary>Whether a fast path walks on into <paramref name="next"/>: the same kind, events, no cache lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool WalksOn(ref NodeData next, NodeKind kind) => next.Kind == kind && next.Events != 0 && !IsCandidate(ref next);

    /// <summary>The work stack, with room for <paramref name="more"/> items above <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Item[] Room(Item[] items, int count, int more)
    {
        if (count + more <= items.Length)
        {
            return items;
        }

        _itemCount = count;
        return GrowItems(count + more);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Item[] GrowItems(int needed)
    {
        Array.Resize(ref _items, Math.Max(needed, _items.Length * 2));
        return _items;
    }

    /// <summary>A cache candidate: emits its cached block (true), or opens a capture frame for it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool EmitHitOrCapture(int node, ulong start)
    {
        if (_cache!.TryEmitHit(this, node, start))
        {
            return true;
        }

        if (_captureDepth == _captures.Length)
        {
            Array.Resize(ref _captures, _captureDepth * 2);
        }

        _captures[_captureDepth++] = new CaptureFrame { Node = node, OutStart = _pos, Start = start };
        Push(0, node, EndCapture);
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int OpenFrame(int node, int pos)
    {
        if (_parDepth == _par.Length)
        {
            Array.Resize(ref _par, _parDepth * 2);
        }

        if (_parDepth > 0)
        {
            _par[_parDepth - 1].ChildStart = _childStart;
        }

        var pi = _parDepth++;
        _par[pi] = new ParFrame { Node = node, FrameStart = pos, ChildStart = pos, RunBase = _runCount };
        _childStart = pos;
        return pi;
    }

    private void FinishParallel()
    {
        var frame = _par[--_parDepth];
        MergeRuns(frame.RunBase, _pos);
        _runCount = frame.RunBase;
        if (_parDepth > 0)
        {
            _childStart = _par[_parDepth - 1].ChildStart;
        }
    }

    private void FinishCapture()
    {
        var frame = _captures[--_captureDepth];
        _cache!.Store(this, frame.Node, frame.OutStart, _pos, frame.Start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PushRun(int position)
    {
        if (_runCount == _runs.Length)
        {
            Array.Resize(ref _runs, _runCount * 2);
        }

        _runs[_runCount++] = position;
    }

    // ------------------------------------------------------------------ channel rule

    /// <summary>Records a use of <paramref name="channel"/> at output position <paramref name="stamp"/> inside an open frame, checking it against the previous use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(int channel, int stamp)
    {
        var lastUse = _lastUse;
        var stampBase = _base;
        var prev = lastUse[channel];
        lastUse[channel] = stampBase + (uint)stamp;
        // The common case, the previous use in the current operand of the deepest frame, needs no call.
        if (prev >= stampBase && prev - stampBase < (uint)_childStart)
        {
            CheckConflict(channel, (int)(prev - stampBase));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckConflict(int channel, int prev)
    {
        var i = _parDepth - 1;
        if (_par[i].FrameStart > prev)
        {
            // Deepest open parallel frame that began at or before prev (FrameStart is non-decreasing).
            int lo = 0, hi = i - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_par[mid].FrameStart <= prev)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            i = found;
        }

        if (i >= 0 && prev < (i == _parDepth - 1 ? _childStart : _par[i].ChildStart))
        {
            ThrowConflict(_arena, _par[i].Node, channel);
        }
    }

    /// <summary>
    /// Finds, under <paramref name="root"/>, the first parallel node (in a left-to-right walk) with
    /// two operands that use the channel, and throws KSQ0001 naming it and both operands. Error
    /// path: one post-order pass marks the nodes that use the channel, then one walk down.
    /// </summary>
    internal static void ThrowConflict(SequenceArena arena, int root, int channel)
    {
        var uses = new Dictionary<int, bool>();
        var stack = new Stack<(int Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (n, expanded) = stack.Pop();
            if (uses.ContainsKey(n))
            {
                continue;
            }

            ref var d = ref arena.Nodes[n];
            if (d.Kind == NodeKind.Atomic)
            {
                uses[n] = d.A == channel;
            }
            else if (d.Kind == NodeKind.Wait)
            {
                uses[n] = false;
            }
            else if (!expanded)
            {
                stack.Push((n, true));
                for (var e = d.A; e < d.A + d.B; e++)
                {
                    stack.Push((arena.Edges[e], false));
                }
            }
            else
            {
                var any = false;
                for (var e = d.A; e < d.A + d.B && !any; e++)
                {
                    any = uses[arena.Edges[e]];
                }

                uses[n] = any;
            }
        }

        var walk = new Stack<int>();
        walk.Push(root);
        var ch = new Channel(arena.ChannelValues[channel]);
        while (walk.Count > 0)
        {
            var n = walk.Pop();
            var children = arena.ChildrenOf(n);
            int a = -1, b = -1;
            for (var k = 0; k < children.Length && b < 0; k++)
            {
                if (uses[children[k]])
                {
                    if (a < 0)
                    {
                        a = k;
                    }
                    else
                    {
                        b = k;
                    }
                }
            }

            if (b >= 0 && arena.Nodes[n].Kind == NodeKind.Parallel)
            {
                throw new SequenceException(SequenceDiagnostics.ChannelConflict, [n, children[a], children[b]], n, ch, a, children[a], b, children[b])
                {
                    Channel = ch,
                };
            }

            for (var k = children.Length - 1; k >= 0; k--)
            {
                if (uses[children[k]])
                {
                    walk.Push(children[k]);
                }
            }
        }

        throw new SequenceException(SequenceDiagnostics.ChannelConflict, [root, -1, -1], root, ch, -1, -1, -1, -1) { Channel = ch };
    }

    // ------------------------------------------------------------------ merging

    private void MergeRuns(int runBase, int end)
    {
        if (_runCount - runBase <= 1)
        {
            return;
        }

        var output = _out;
        var runs = _runs;
        var w = runBase + 1;
        for (var k = runBase + 1; k < _runCount; k++)
        {
            var r = runs[k];
            if (output[r - 1].Time > output[r].Time)
            {
                runs[w++] = r;
            }
        }

        var m = w - runBase;
        while (m > 1)
        {
            var write = runBase;
            for (var j = 0; j < m; j += 2)
            {
                var lo = runs[runBase + j];
                if (j + 1 < m)
                {
                    var mid = runs[runBase + j + 1];
                    var hi = j + 2 < m ? runs[runBase + j + 2] : end;
                    MergeTwo(lo, mid, hi);
                }

                runs[write++] = lo;
            }

            m = write - runBase;
        }
    }

    /// <summary>Stable merge of the sorted ranges [lo, mid) and [mid, hi), left first on ties.</summary>
    private void MergeTwo(int lo, int mid, int hi)
    {
        var output = _out;
        var aLast = output[mid - 1].Time;
        var bFirst = output[mid].Time;
        if (aLast <= bFirst)
        {
            return;
        }

        var l = UpperBound(output, lo, mid, bFirst);
        var r = LowerBound(output, mid, hi, aLast);
        var na = mid - l;
        var nb = r - mid;
        if (output[r - 1].Time < output[l].Time)
        {
            // Block swap: all of b's part lies before all of a's part.
            EnsureScratch(na);
            output.AsSpan(l, na).CopyTo(_scratch);
            output.AsSpan(mid, nb).CopyTo(output.AsSpan(l));
            _scratch.AsSpan(0, na).CopyTo(output.AsSpan(l + nb));
            return;
        }

        if (na <= nb)
        {
            EnsureScratch(na);
            var s = _scratch;
            output.AsSpan(l, na).CopyTo(s);
            int i = 0, j = mid, d = l;
            while (i < na && j < r)
            {
                if (s[i].Time <= output[j].Time)
                {
                    output[d++] = s[i++];
                }
                else
                {
                    output[d++] = output[j++];
                }
            }

            while (i < na)
            {
                output[d++] = s[i++];
            }
        }
        else
        {
            EnsureScratch(nb);
            var s = _scratch;
            output.AsSpan(mid, nb).CopyTo(s);
            int i = mid - 1, j = nb - 1, d = r - 1;
            while (j >= 0 && i >= l)
            {
                if (output[i].Time > s[j].Time)
                {
                    output[d--] = output[i--];
                }
                else
                {
                    output[d--] = s[j--];
                }
            }

            while (j >= 0)
            {
                output[d--] = s[j--];
            }
        }
    }

    private static int UpperBound(EventRecord[] a, int lo, int hi, ulong time)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (a[mid].Time <= time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int LowerBound(EventRecord[] a, int lo, int hi, ulong time)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (a[mid].Time < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void EnsureScratch(int n)
    {
        if (_scratch.Length < n)
        {
            _scratch = new EventRecord[Math.Max(n, _scratch.Length * 2)];
        }
    }

    // ------------------------------------------------------------------ cache support

    /// <summary>Copies a cached block (relative times) to the output at time <paramref name="offset"/>.</summary>
    internal void EmitBlock(EventRecord[] events, ulong offset, int[] channels, int[]? remap)
    {
        var start = _pos;
        if (_parDepth > 0)
        {
            foreach (var ch in channels)
            {
                Touch(ch, start);
            }
        }

        var dst = _out.AsSpan(start, events.Length);
        if (remap is null)
        {
            if (offset == 0)
            {
                events.AsSpan().CopyTo(dst);
            }
            else
            {
                for (var i = 0; i < events.Length; i++)
                {
                    dst[i] = new(events[i].Time + offset, events[i].Node);
                }
            }
        }
        else
        {
            for (var i = 0; i < events.Length; i++)
            {
                dst[i] = new(events[i].Time + offset, remap[events[i].Node]);
            }
        }

        _pos += events.Length;
    }

    /// <summary>The distinct dense channels of the events in [start, end).</summary>
    internal int[] CollectChannels(EventRecord[] events, int start, int end)
    {
        if (_seen.Length < _arena.ChannelCount)
        {
            _seen = new int[Math.Max(_arena.ChannelCount, _seen.Length * 2)];
            _seenGeneration = 0;
        }

        if (++_seenGeneration == int.MaxValue)
        {
            Array.Clear(_seen);
            _seenGeneration = 1;
        }

        var gen = _seenGeneration;
        var list = new List<int>();
        var nodes = _arena.Nodes;
        for (var i = start; i < end; i++)
        {
            var ch = nodes[events[i].Node].A;
            if (_seen[ch] != gen)
            {
                _seen[ch] = gen;
                list.Add(ch);
            }
        }

        return [.. list];
    }

    /// <summary>
    /// Checks that <paramref name="mine"/> has the same shape, kinds, channels, opcodes and durations
    /// as <paramref name="owner"/> and fills a map from the owner's atomics to mine (iterative).
    /// Payload bytes need not match: events carry atomic ids, and each reads its own payload.
    /// </summary>
    internal int[]? MatchStructure(int owner, int mine)
    {
        var arena = _arena;
        if (_map.Length < arena.Count)
        {
            _map = new int[Math.Max(arena.Count, _map.Length * 2)];
        }

        var stack = new Stack<(int, int)>();
        stack.Push((owner, mine));
        while (stack.Count > 0)
        {
            var (x, y) = stack.Pop();
            ref var nx = ref arena.Nodes[x];
            ref var ny = ref arena.Nodes[y];
            if (x == y)
            {
                MapIdentity(x);
                continue;
            }

            if (nx.Kind != ny.Kind || nx.Duration != ny.Duration)
            {
                return null;
            }

            switch (nx.Kind)
            {
                case NodeKind.Atomic:
                    if (nx.A != ny.A || nx.Opcode != ny.Opcode)
                    {
                        return null;
                    }

                    _map[x] = y;
                    break;
                case NodeKind.Serial or NodeKind.Parallel:
                    if (nx.B != ny.B)
                    {
                        return null;
                    }

                    for (var k = 0; k < nx.B; k++)
                    {
                        stack.Push((arena.Edges[nx.A + k], arena.Edges[ny.A + k]));
                    }

                    break;
            }
        }

        return _map;
    }

    private void MapIdentity(int node)
    {
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            ref var d = ref _arena.Nodes[n];
            switch (d.Kind)
            {
                case NodeKind.Atomic:
                    _map[n] = n;
                    break;
                case NodeKind.Serial or NodeKind.Parallel:
                    for (var e = d.A; e < d.A + d.B; e++)
                    {
                        stack.Push(_arena.Edges[e]);
                    }

                    break;
            }
        }
    }
}
