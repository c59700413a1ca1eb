using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Kiln.Sequencing.Tests;

namespace Kiln.Sequencing.Bench;

// Every per-event benchmark declares OperationsPerInvoke = its event count, so BenchmarkDotNet's
// Mean and Allocated columns are per event. Each scenario runs the naive reference (recursive
// flatten + stable sort) in the same run as the baseline.

public abstract class ChainBase
{
    private SequenceArena _arena = null!;
    private int _root;
    private EventRecord[] _buffer = [];

    protected abstract int N { get; }

    [Params("left", "right", "balanced")]
    public string Shape { get; set; } = "left";

    [GlobalSetup]
    public void Setup()
    {
        _arena = new SequenceArena(capacity: (2 * N) + 16);
        _root = Shapes.Chain(_arena, N, Shape);
        _buffer = new EventRecord[N];
    }

    protected object NaiveCore() => NaiveReference.Flatten(_arena, _root);

    protected object PlainCore() => SequenceCompiler.Compile(_arena, _root);

    protected int PlainIntoCore() => SequenceCompiler.CompileInto(_arena, _root, _buffer);

    protected int ColdIntoCore() => new IncrementalCompiler(_arena).CompileInto(_root, _buffer);

    protected object ColdCore() => new IncrementalCompiler(_arena).Compile(_root);
}

[MemoryDiagnoser]
public class Chain10k : ChainBase
{
    protected override int N => 10_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 10_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 10_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 10_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public int IncrementalColdInto() => ColdIntoCore();
}

[MemoryDiagnoser]
public class Chain100k : ChainBase
{
    protected override int N => 100_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 100_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 100_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 100_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public int IncrementalColdInto() => ColdIntoCore();
}

[MemoryDiagnoser]
public class Chain1M : ChainBase
{
    protected override int N => 1_000_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 1_000_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public int IncrementalColdInto() => ColdIntoCore();
}

public abstract class WideBase
{
    private SequenceArena _arena = null!;
    private int _root;
    private EventRecord[] _buffer = [];

    protected abstract int N { get; }

    [Params("left", "balanced")]
    public string Shape { get; set; } = "left";

    [GlobalSetup]
    public void Setup()
    {
        _arena = new SequenceArena(capacity: (2 * N) + 16);
        _root = Shapes.Wide(_arena, N, Shape);
        _buffer = new EventRecord[N];
    }

    protected object NaiveCore() => NaiveReference.Flatten(_arena, _root);

    protected object PlainCore() => SequenceCompiler.Compile(_arena, _root);

    protected int PlainIntoCore() => SequenceCompiler.CompileInto(_arena, _root, _buffer);

    protected int ColdIntoCore() => new IncrementalCompiler(_arena).CompileInto(_root, _buffer);

    protected object ColdCore() => new IncrementalCompiler(_arena).Compile(_root);

    /// <summary>Building the whole arena (atomics + parallel nodes), per atomic.</summary>
    protected object BuildCore()
    {
        var a = new SequenceArena(capacity: 16);
        return Shapes.Wide(a, N, Shape);
    }
}

[MemoryDiagnoser]
public class Wide1k : WideBase
{
    protected override int N => 1_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 1_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 1_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 1_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 1_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 1_000)]
    public int IncrementalColdInto() => ColdIntoCore();

    [Benchmark(OperationsPerInvoke = 1_000)]
    public object Build() => BuildCore();
}

[MemoryDiagnoser]
public class Wide10k : WideBase
{
    protected override int N => 10_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 10_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 10_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 10_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public int IncrementalColdInto() => ColdIntoCore();

    [Benchmark(OperationsPerInvoke = 10_000)]
    public object Build() => BuildCore();
}

[MemoryDiagnoser]
public class Wide100k : WideBase
{
    protected override int N => 100_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = 100_000)]
    public object Naive() => NaiveCore();

    [Benchmark(OperationsPerInvoke = 100_000)]
    public object Plain() => PlainCore();

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public int PlainInto() => PlainIntoCore();

    [Benchmark(OperationsPerInvoke = 100_000)]
    public object IncrementalCold() => ColdCore();

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public int IncrementalColdInto() => ColdIntoCore();

    [Benchmark(OperationsPerInvoke = 100_000)]
    public object Build() => BuildCore();
}

/// <summary>The seed's case: a 100-atom sub-sequence shared by 100 trees <c>(pre_i &gt;&gt; sub) &gt;&gt; post_i</c>: 10 200 events in all.</summary>
[MemoryDiagnoser]
public class Reuse
{
    public const int Events = 100 * 102;
    private SequenceArena _arena = null!;
    private int[] _roots = [];
    private IncrementalCompiler _warm = null!;

    [Params("left", "balanced")]
    public string Shape { get; set; } = "left";

    [GlobalSetup]
    public void Setup()
    {
        (_arena, _roots) = Build(Shape);
        _warm = new IncrementalCompiler(_arena);
        CompileAll(_warm);
    }

    public static (SequenceArena, int[]) Build(string shape)
    {
        var a = new SequenceArena();
        var sub = Shapes.Chain(a, 100, shape);
        var roots = new int[100];
        for (var i = 0; i < roots.Length; i++)
        {
            var pre = a.AddAtomic(Channel.Ttl(0, 1), (ulong)(1 + i), 2, new byte[] { (byte)i });
            var post = a.AddAtomic(Channel.Ttl(0, 1), 1, 3, new byte[] { (byte)i });
            roots[i] = a.AddSerial(a.AddSerial(pre, sub), post);
        }

        return (a, roots);
    }

    public int CompileAll(IncrementalCompiler c)
    {
        var n = 0;
        foreach (var r in _roots)
        {
            n += c.Compile(r).Count;
        }

        return n;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int Naive()
    {
        var n = 0;
        foreach (var r in _roots)
        {
            n += NaiveReference.Flatten(_arena, r).Length;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int Plain()
    {
        var n = 0;
        foreach (var r in _roots)
        {
            n += SequenceCompiler.Compile(_arena, r).Count;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int IncrementalCold() => CompileAll(new IncrementalCompiler(_arena));

    [Benchmark(OperationsPerInvoke = Events)]
    public int IncrementalWarm() => CompileAll(_warm);
}

/// <summary>100 layers of (A | B) in series; A = 1 000 atoms on ch0 (duration 2), B = 1 000 on ch1 (duration 3): they interleave. 200 000 events.</summary>
[MemoryDiagnoser]
public class Layers
{
    public const int Events = 200_000;
    private SequenceArena _arena = null!;
    private int _root;
    private EventRecord[] _buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        (_arena, _root) = Build();
        _buffer = new EventRecord[Events];
    }

    public static (SequenceArena, int) Build()
    {
        var a = new SequenceArena(capacity: 500_000);
        var layers = new int[100];
        var pa = new byte[4];
        for (var l = 0; l < layers.Length; l++)
        {
            var sideA = new int[1000];
            var sideB = new int[1000];
            for (var i = 0; i < 1000; i++)
            {
                sideA[i] = a.AddAtomic(Channel.Ttl(0, 0), 2, 1, pa);
                sideB[i] = a.AddAtomic(Channel.Ttl(0, 1), 3, 1, pa);
            }

            layers[l] = a.AddParallel(Shapes.Combine(a, sideA, "left", true), Shapes.Combine(a, sideB, "left", true));
        }

        return (a, Shapes.Combine(a, layers, "left", true));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public object Naive() => NaiveReference.Flatten(_arena, _root);

    [Benchmark(OperationsPerInvoke = Events)]
    public object Plain() => SequenceCompiler.Compile(_arena, _root);

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int PlainInto() => SequenceCompiler.CompileInto(_arena, _root, _buffer);

    [Benchmark(OperationsPerInvoke = Events)]
    public object IncrementalCold() => new IncrementalCompiler(_arena).Compile(_root);

    /// <summary>A new incremental compiler each time, into one array reused across calls.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int IncrementalColdInto() => new IncrementalCompiler(_arena).CompileInto(_root, _buffer);
}

/// <summary>10 000 atomics with 1 KiB payloads (or 4 B, to show bytes/event do not depend on it), the chain reused 10 times: 100 000 events.</summary>
[MemoryDiagnoser]
public class BigPayloads
{
    public const int Events = 100_000;
    private SequenceArena _arena = null!;
    private int _root;
    private IncrementalCompiler _warm = null!;
    private EventRecord[] _buffer = [];

    [Params(4, 1024)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _arena = new SequenceArena(capacity: 40_000);
        var sub = Shapes.Chain(_arena, 10_000, "left", channels: 8, payloadBytes: PayloadBytes);
        _root = _arena.AddComposite(NodeKind.Serial, [sub, sub, sub, sub, sub, sub, sub, sub, sub, sub]);
        _warm = new IncrementalCompiler(_arena);
        _warm.Compile(_root);
        _buffer = new EventRecord[Events];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public object Naive() => NaiveReference.Flatten(_arena, _root);

    [Benchmark(OperationsPerInvoke = Events)]
    public object Plain() => SequenceCompiler.Compile(_arena, _root);

    /// <summary>Plain, into one array reused across calls (no fresh output memory per compile).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int PlainInto() => SequenceCompiler.CompileInto(_arena, _root, _buffer);

    [Benchmark(OperationsPerInvoke = Events)]
    public object IncrementalCold() => new IncrementalCompiler(_arena).Compile(_root);

    [Benchmark(OperationsPerInvoke = Events)]
    public object IncrementalWarm() => _warm.Compile(_root);
}

/// <summary>
/// One edit in a 1M-event sequence (a left-nested chain), then recompile. Per operation = one
/// edit + one compile (not per event). A payload edit is patched in place; a duration edit (a
/// parameter-bound wait near the start of the chain) invalidates the whole path to the root.
/// </summary>
[MemoryDiagnoser]
public class EditThenRecompile
{
    private SequenceArena _arena = null!;
    private int _root;
    private IncrementalCompiler _inc = null!;
    private int _atomic;
    private Parameter _delay = null!;
    private byte _flip;
    private double _value = 1;

    [GlobalSetup]
    public void Setup()
    {
        _arena = new SequenceArena(capacity: 2_100_000);
        _delay = _arena.DefineParameter("delay", 1);
        var wait = _arena.Wait(SeqDuration.Of(_delay, TimeUnit.Microseconds)).Id;
        var chain = Shapes.Chain(_arena, 1_000_000, "left");
        _root = _arena.AddSerial(wait, chain);
        _atomic = _arena.ChildrenOf(_arena.ChildrenOf(_arena.ChildrenOf(chain)[0])[0])[1];
        _inc = new IncrementalCompiler(_arena);
        _inc.Compile(_root);
    }

    [Benchmark(Baseline = true)]
    public object PlainRecompileAfterPayloadEdit()
    {
        _arena.UpdatePayload(_atomic, new byte[] { _flip++ });
        return SequenceCompiler.Compile(_arena, _root);
    }

    [Benchmark]
    public object IncrementalAfterPayloadEdit()
    {
        _arena.UpdatePayload(_atomic, new byte[] { _flip++ });
        return _inc.Compile(_root);
    }

    [Benchmark]
    public object IncrementalAfterDurationEdit()
    {
        _value = _value == 1 ? 2 : 1;
        _arena.SetParameter(_delay, _value);
        return _inc.Compile(_root);
    }
}

/// <summary>
/// A 100-point scan over a 100 000-event sequence (left-nested chain) where one parameter sets the
/// payloads of 1 % of the atomics. Baseline: what the field does, set the point and recompile the
/// whole shot per point. Per operation = the whole 100-point scan.
/// </summary>
[MemoryDiagnoser]
public class ScanPayloads
{
    private SequenceArena _arena = null!;
    private int _root;
    private Parameter _amp = null!;
    private Scan _scan = null!;

    [GlobalSetup]
    public void Setup() => (_arena, _root, _amp, _scan) = Build();

    public static (SequenceArena, int, Parameter, Scan) Build()
    {
        var a = new SequenceArena(capacity: 210_000);
        var amp = a.DefineParameter("amp", 0);
        var leaves = new int[100_000];
        var fixedPayload = new byte[8];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = i % 100 == 0
                ? a.Atomic(Channel.Rwg(1, i % 8), (ulong)(1 + (i % 3)), 0x0201, amp, v => BitConverter.GetBytes(v)).Id
                : a.AddAtomic(Channel.Ttl(0, i % 8), (ulong)(1 + (i % 3)), 0x0101, fixedPayload);
        }

        var root = Shapes.Combine(a, leaves, "left", true);
        var values = new double[100];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 0.01 * (i + 1);
        }

        return (a, root, amp, Scan.Zip(new ScanAxis(amp, values)));
    }

    [Benchmark(Baseline = true)]
    public int FullRecompilePerPoint()
    {
        var n = 0;
        foreach (var point in _scan.Points)
        {
            _arena.SetParameter(_amp, point.Values[0].Value);
            n += SequenceCompiler.Compile(_arena, _root).Count;
        }

        _arena.SetParameter(_amp, 0);
        return n;
    }

    [Benchmark]
    public int IncrementalScan()
    {
        var n = 0;
        foreach (var r in new IncrementalCompiler(_arena).CompileScan(_arena.Node(_root), _scan))
        {
            n += r.Sequence.Count;
        }

        _arena.SetParameter(_amp, 0);
        return n;
    }
}

/// <summary>
/// Runs a benchmark class with <c>DOTNET_GCLOHThreshold</c> = 1 MiB (the runtime setting
/// <c>System.GC.LOHThreshold</c>), so that output arrays under 1 MiB are small objects.
/// </summary>
public sealed class LohThreshold1MiBAttribute : JobMutatorConfigBaseAttribute
{
    public LohThreshold1MiBAttribute()
        : base(Job.Default.WithEnvironmentVariable("DOTNET_GCLOHThreshold", "0x100000"))
    {
    }
}

/// <summary>
/// The 10k-event shapes compiled into a fresh array per call (<c>Compile</c>), in a process whose
/// GC keeps arrays under 1 MiB out of the large-object heap. With .NET's default threshold
/// (85 000 bytes) a 10k-event output (120 KB) is a large object, and the GC decommits the memory of
/// dead ones, so most compiles fault their output's pages in afresh (Chain10k and Wide10k's Plain
/// rows); here the pages stay mapped. Compare with those rows of the same run.
/// </summary>
[MemoryDiagnoser]
[LohThreshold1MiB]
public class FreshArrays10kLoh1MiB
{
    private const int N = 10_000;
    private SequenceArena _arena = null!;
    private int _root;

    [Params("chain", "wide")]
    public string Shape { get; set; } = "chain";

    [GlobalSetup]
    public void Setup()
    {
        _arena = new SequenceArena(capacity: (2 * N) + 16);
        _root = Shape == "chain" ? Shapes.Chain(_arena, N, "left") : Shapes.Wide(_arena, N, "left");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public object Naive() => NaiveReference.Flatten(_arena, _root);

    [Benchmark(OperationsPerInvoke = N)]
    public object Plain() => SequenceCompiler.Compile(_arena, _root);

    [Benchmark(OperationsPerInvoke = N)]
    public object IncrementalCold() => new IncrementalCompiler(_arena).Compile(_root);
}
