using System.Diagnostics;

namespace Kiln.Sequencing;

/// <summary>Cache statistics of an <see cref="IncrementalCompiler"/>.</summary>
public readonly record struct CacheStatistics(int CachedNodes, long Hits, long Misses, long BytesHeld, long Evictions, long StructuralHits)
{
    /// <summary>Hits / (hits + misses), 0 when nothing was looked up.</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}

/// <summary>One compiled scan point.</summary>
public sealed record ScanPointResult(int Index, ScanPoint Point, CompiledSequence Sequence, ParameterChange Change, TimeSpan CompileTime);

/// <summary>
/// The incremental compiler. Results are cached relative to the node's own t = 0 (the parent adds
/// its offset while copying), hold atomic ids rather than payload bytes (payloads are shared by
/// reference through the arena's cells, never copied), and are copied into a parent as blocks.
/// <para><b>What is cached</b> (this is what keeps it O(N) where the seed was O(N²)): every
/// compiled root (its entry is the output array itself, so it costs nothing extra), and every
/// serial or parallel node that is used by two or more parents and has at least
/// <see cref="MinCachedEvents"/> events. Nothing else: a node used once is never looked up
/// again, so caching it would only copy its events one more time per level — exactly the seed's
/// quadratic fault on deep chains. A cold compile therefore costs the plain compile plus one copy
/// of each reused subtree; a reused subtree's later uses cost one block copy each.</para>
/// <para><b>Validity.</b> A cached result depends on the node's shape, channels, opcodes and
/// durations, never on payload bytes. A payload edit (or a payload-only parameter change) patches
/// every result in place through the cells and invalidates nothing; a duration change stamps the
/// node and all its ancestors, and exactly their entries become stale.</para>
/// <para><b>Sharing.</b> Entries are found by node id, and otherwise by structural fingerprint: an
/// equal subtree built separately re-uses the entry after an O(size) structural check that also
/// maps the owner's atomics to its own (so its events carry its own ids and payloads).</para>
/// <para><b>Memory bound.</b> Entries are kept in LRU order and evicted beyond
/// <see cref="MaxCachedBytes"/>.</para>
/// <para>Thread-safe: several threads may compile through one instance while nobody writes to
/// the arena; the cache is guarded by a lock taken once per lookup of a candidate node.</para>
/// </summary>
public sealed class IncrementalCompiler
{
    private sealed class Entry
    {
        public int Owner;
        public ulong Fingerprint;
        public EventRecord[] Events = [];
        public int[]? Channels;
        public int Version;
        public long Bytes;
        public Entry? Prev;
        public Entry? Next;
    }

    private const long EntryOverhead = 96;
    private readonly object _gate = new();
    private readonly Dictionary<int, Entry> _byNode = [];
    private readonly Dictionary<ulong, Entry> _byFingerprint = [];
    private Entry? _head;
    private Entry? _tail;
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _structuralHits;

    public IncrementalCompiler(SequenceArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        Arena = arena;
    }

    public SequenceArena Arena { get; }

    /// <summary>A reused subtree is cached only from this many events on (default 32).</summary>
    public int MinCachedEvents { get; init; } = 32;

    /// <summary>Bound on the bytes held by cached event lists (default 512 MiB); least recently used entries go first.</summary>
    public long MaxCachedBytes { get; init; } = 512L << 20;

    public CacheStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new(_byNode.Count, _hits, _misses, _bytes, _evictions, _structuralHits);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byNode.Clear();
            _byFingerprint.Clear();
            _head = _tail = null;
            _bytes = 0;
        }
    }

    public void ResetStatistics()
    {
        lock (_gate)
        {
            _hits = _misses = _evictions = _structuralHits = 0;
        }
    }

    public CompiledSequence Compile(SeqNode root)
    {
        if (!ReferenceEquals(root.Arena, Arena))
        {
            throw new SequenceException(SequenceDiagnostics.ForeignNode, [root.Id], root.Id);
        }

        return Compile(root.Id);
    }

    public CompiledSequence Compile(int root)
    {
        Arena.CheckId(root);
        return Arena.Nodes[root].Kind is NodeKind.Serial or NodeKind.Parallel
            ? new CompiledSequence(Arena, root, CompileComposite(root, null), Arena.Nodes[root].Duration)
            : SequenceCompiler.Compile(Arena, root);
    }

    /// <inheritdoc cref="CompileInto(int, EventRecord[])"/>
    public int CompileInto(SeqNode root, EventRecord[] destination)
    {
        if (!ReferenceEquals(root.Arena, Arena))
        {
            throw new SequenceException(SequenceDiagnostics.ForeignNode, [root.Id], root.Id);
        }

        return CompileInto(root.Id, destination);
    }

    /// <summary>
    /// Compiles <paramref name="root"/> into the caller's array from index 0 and returns the number
    /// of events, as <see cref="SequenceCompiler.CompileInto(SequenceArena, int, EventRecord[])"/>
    /// does, with this compiler's cache: reused sub-sequences come from it and are kept in it, and a
    /// root compiled by <see cref="Compile(int)"/> and still valid is copied from it. The root's own
    /// list is not kept (the caller's array holds it), so a compile into a reused array allocates
    /// nothing for the root.
    /// </summary>
    public int CompileInto(int root, EventRecord[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Arena.CheckId(root);
        var total = SequenceCompiler.CheckDestination(Arena, root, destination);
        if (total == 0 || Arena.Nodes[root].Kind is not (NodeKind.Serial or NodeKind.Parallel))
        {
            SequenceCompiler.RunInto(Arena, root, destination, total);
        }
        else
        {
            CompileComposite(root, destination);
        }

        return total;
    }

    /// <summary>
    /// Compiles a serial or parallel root through the cache. Without a destination it returns the
    /// root's events: a valid entry's, or new ones that become its entry. With one it writes there
    /// and keeps no entry for the root.
    /// </summary>
    private EventRecord[] CompileComposite(int root, EventRecord[]? destination)
    {
        var arena = Arena;
        Entry? structural = null;
        lock (_gate)
        {
            if (_byNode.TryGetValue(root, out var e))
            {
                if (arena.ChangedAt[root] <= e.Version)
                {
                    _hits++;
                    Touch(e);
                    if (destination is null)
                    {
                        return e.Events;
                    }

                    e.Events.AsSpan().CopyTo(destination);
                    return destination;
                }

                Remove(e);
            }
            else if (_byFingerprint.TryGetValue(arena.Fingerprints[root], out var s) && arena.ChangedAt[s.Owner] <= s.Version)
            {
                structural = s;
            }
        }

        var f = Flattener.Rent();
        try
        {
            if (structural is not null)
            {
                f.Begin(arena, this, destination ?? GC.AllocateUninitializedArray<EventRecord>(structural.Events.Length));
                var map = f.MatchStructure(structural.Owner, root);
                if (map is not null)
                {
                    f.EmitBlock(structural.Events, 0, [], map);
                    lock (_gate)
                    {
                        _hits++;
                        _structuralHits++;
                        Touch(structural);
                    }

                    // A new output becomes the root's own entry (no copy), so compiling it again is O(1).
                    var output = f.Output;
                    if (destination is null)
                    {
                        Insert(new Entry { Owner = root, Fingerprint = arena.Fingerprints[root], Events = output, Channels = structural.Channels, Version = arena.StructureVersion, Bytes = (output.Length * 12L) + EntryOverhead });
                    }

                    return output;
                }
            }

            lock (_gate)
            {
                _misses++;
            }

            if (destination is not null)
            {
                f.RunInto(arena, root, this, destination);
                return destination;
            }

            var version = arena.StructureVersion;
            var events = f.Run(arena, root, this);
            Insert(new Entry { Owner = root, Fingerprint = arena.Fingerprints[root], Events = events, Version = version, Bytes = (events.Length * 12L) + EntryOverhead });
            return events;
        }
        finally
        {
            Flattener.Return(f);
        }
    }

    /// <summary>
    /// Compiles every point of <paramref name="scan"/>: sets only the parameters whose value differs
    /// from the previous point, then compiles <paramref name="root"/> incrementally, and reports
    /// the time of each point (parameter update + compile). A point that only changes payloads costs
    /// the re-encoding of those payloads and one cache hit.
    /// </summary>
    public IEnumerable<ScanPointResult> CompileScan(SeqNode root, Scan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        for (var i = 0; i < scan.Points.Count; i++)
        {
            var point = scan.Points[i];
            var start = Stopwatch.GetTimestamp();
            var change = ParameterChange.None;
            foreach (var (p, v) in point.Values)
            {
                var c = Arena.SetParameter(p, v);
                if (c > change)
                {
                    change = c;
                }
            }

            var sequence = Compile(root);
            var elapsed = Stopwatch.GetElapsedTime(start);
            yield return new ScanPointResult(i, point, sequence, change, elapsed);
        }
    }

    // ------------------------------------------------------------------ called by the flattener

    internal bool TryEmitHit(Flattener f, int node, ulong start)
    {
        var arena = Arena;
        Entry? entry;
        var structural = false;
        lock (_gate)
        {
            if (_byNode.TryGetValue(node, out entry))
            {
                if (arena.ChangedAt[node] > entry.Version)
                {
                    Remove(entry);
                    entry = null;
                }
            }

            if (entry is null && _byFingerprint.TryGetValue(arena.Fingerprints[node], out var s) && arena.ChangedAt[s.Owner] <= s.Version)
            {
                entry = s;
                structural = true;
            }

            if (entry is null)
            {
                _misses++;
                return false;
            }

            Touch(entry);
        }

        int[]? map = null;
        if (structural)
        {
            map = f.MatchStructure(entry.Owner, node);
            if (map is null)
            {
                lock (_gate)
                {
                    _misses++;
                }

                return false;
            }
        }

        var channels = entry.Channels ??= f.CollectChannels(entry.Events, 0, entry.Events.Length);
        lock (_gate)
        {
            _hits++;
            if (structural)
            {
                _structuralHits++;
            }
        }

        f.EmitBlock(entry.Events, start, channels, map);
        return true;
    }

    internal void Store(Flattener f, int node, int from, int to, ulong start)
    {
        var n = to - from;
        var bytes = (n * 12L) + EntryOverhead;
        if (bytes > MaxCachedBytes)
        {
            return;
        }

        var src = f.Output;
        var events = new EventRecord[n];
        for (var i = 0; i < n; i++)
        {
            var r = src[from + i];
            events[i] = new(r.Time - start, r.Node);
        }

        var channels = f.CollectChannels(src, from, to);
        Insert(new Entry
        {
            Owner = node,
            Fingerprint = Arena.Fingerprints[node],
            Events = events,
            Channels = channels,
            Version = Arena.StructureVersion,
            Bytes = bytes + (channels.Length * 4L),
        });
    }

    // ------------------------------------------------------------------ LRU

    private void Insert(Entry e)
    {
        if (e.Bytes > MaxCachedBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_byNode.TryGetValue(e.Owner, out var old))
            {
                Remove(old);
            }

            _byNode[e.Owner] = e;
            if (!_byFingerprint.TryGetValue(e.Fingerprint, out var shared) || Arena.ChangedAt[shared.Owner] > shared.Version)
            {
                // First of its shape, or the one indexed is stale: index this one.
                _byFingerprint[e.Fingerprint] = e;
            }
            e.Next = _head;
            if (_head is not null)
            {
                _head.Prev = e;
            }

            _head = e;
            _tail ??= e;
            _bytes += e.Bytes;
            while (_bytes > MaxCachedBytes && _tail is not null && _tail != e)
            {
                Remove(_tail);
                _evictions++;
            }
        }
    }

    private void Touch(Entry e)
    {
        if (_head == e)
        {
            return;
        }

        Unlink(e);
        e.Next = _head;
        if (_head is not null)
        {
            _head.Prev = e;
        }

        _head = e;
        _tail ??= e;
    }

    private void Remove(Entry e)
    {
        Unlink(e);
        if (_byNode.TryGetValue(e.Owner, out var current) && current == e)
        {
            _byNode.Remove(e.Owner);
        }

        if (_byFingerprint.TryGetValue(e.Fingerprint, out var byFp) && byFp == e)
        {
            _byFingerprint.Remove(e.Fingerprint);
        }

        _bytes -= e.Bytes;
    }

    private void Unlink(Entry e)
    {
        if (e.Prev is not null)
        {
            e.Prev.Next = e.Next;
        }
        else if (_head == e)
        {
            _head = e.Next;
        }

        if (e.Next is not null)
        {
            e.Next.Prev = e.Prev;
        }
        else if (_tail == e)
        {
            _tail = e.Prev;
        }

        e.Prev = e.Next = null;
    }
}
