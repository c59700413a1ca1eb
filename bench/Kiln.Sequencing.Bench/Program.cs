using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Kiln.Sequencing;
using Kiln.Sequencing.Bench;
using Kiln.Sequencing.Tests;

// dotnet run -c Release --project bench/Kiln.Sequencing.Bench -- --filter '*' --job short
// dotnet run -c Release --project bench/Kiln.Sequencing.Bench -- report   (cache statistics, scan per-point times, edit latency)
// dotnet run -c Release --project bench/Kiln.Sequencing.Bench -- shape chain|wide|layers [N] [left|right|balanced] [SECONDS] [into]
//   one shape alone in this process, plain compiler, compiled again and again for SECONDS (default 3):
//   best, median and mean ns/event, and the page faults of a compile (the fresh output array's pages);
//   with "into", every compile writes into one reused array (SequenceCompiler.CompileInto)
if (args is ["report", ..])
{
    Report.Run(args.Length > 1 ? args[1] : "");
    return;
}

if (args is ["shape", ..])
{
    OneShape.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Reuse).Assembly).Run(args);

internal static class Report
{
    public static void Run(string only)
    {
        var inv = CultureInfo.InvariantCulture;
        bool Want(string section) => only.Length == 0 || section.StartsWith(only, StringComparison.Ordinal);

        foreach (var shape in Want("reuse") ? new[] { "left", "balanced" } : [])
        {
            var r = new Reuse { Shape = shape };
            r.Setup();
            var (arena, roots) = Reuse.Build(shape);
            var inc = new IncrementalCompiler(arena);
            var cold = Time(() => Compile(inc, roots));
            var coldStats = inc.Statistics;
            var warm = Best(20, () => Compile(inc, roots));
            var coldBest = Best(20, () => Compile(new IncrementalCompiler(arena), roots));
            var plain = Best(20, () => { foreach (var x in roots) { SequenceCompiler.Compile(arena, x); } });
            Console.WriteLine(string.Create(inv, $"reuse/{shape}: cold first {cold * 1e3:F3} ms, cold best {coldBest * 1e3:F3} ms, warm {warm * 1e3:F3} ms, plain {plain * 1e3:F3} ms, warm speed-up vs cold {coldBest / warm:F1}x; after cold: hits {coldStats.Hits}, misses {coldStats.Misses}, hit rate {coldStats.HitRate:P1}, cached {coldStats.CachedNodes}, bytes {coldStats.BytesHeld}; after warm: hit rate {inc.Statistics.HitRate:P1}"));
        }

        if (Want("scan"))
        {
            var (arena, root, amp, scan) = ScanPayloads.Build();
            var inc = new IncrementalCompiler(arena);
            var times = new List<double>();
            foreach (var p in inc.CompileScan(arena.Node(root), scan))
            {
                times.Add(p.CompileTime.TotalMilliseconds);
            }

            arena.SetParameter(amp, 0);
            var cold = Best(10, () => SequenceCompiler.Compile(arena, root));
            var full = Best(3, () =>
            {
                foreach (var point in scan.Points)
                {
                    arena.SetParameter(amp, point.Values[0].Value);
                    SequenceCompiler.Compile(arena, root);
                }
            });
            arena.SetParameter(amp, 0);
            var scanTotal = Best(5, () =>
            {
                foreach (var _ in new IncrementalCompiler(arena).CompileScan(arena.Node(root), scan))
                {
                }
            });
            times.Sort();
            Console.WriteLine(string.Create(inv, $"scan 100 points x 100k events, 1% payloads: per point first {times[^1]:F3} ms (the cold one), median {times[50]:F4} ms, min {times[0]:F4} ms; whole scan {scanTotal * 1e3:F2} ms vs 100 full recompiles {full * 1e3:F2} ms ({scanTotal / full:P2}); one cold compile {cold * 1e3:F3} ms"));
        }

        if (Want("edit"))
        {
            var e = new EditThenRecompile();
            e.Setup();
            var payload = Best(200, () => e.IncrementalAfterPayloadEdit());
            var duration = Best(5, () => e.IncrementalAfterDurationEdit());
            var plain = Best(5, () => e.PlainRecompileAfterPayloadEdit());
            Console.WriteLine(string.Create(inv, $"1M events: payload edit + incremental recompile {payload * 1e9:F0} ns; duration edit + incremental recompile {duration * 1e3:F2} ms; payload edit + plain recompile {plain * 1e3:F2} ms"));
        }

        foreach (var n in Want("wide") ? new[] { 1_000, 10_000, 100_000 } : [])
        {
            foreach (var shape in new[] { "left", "balanced" })
            {
                var a = new SequenceArena(capacity: 16);
                var build = Time(() => Shapes.Wide(a, n, shape));
                var root = a.Count - 1;
                var plain = Measure(20, () => SequenceCompiler.Compile(a, root));
                var cold = Measure(20, () => new IncrementalCompiler(a).Compile(root));
                var naive = Measure(5, () => NaiveReference.Flatten(a, root));
                Console.WriteLine(string.Create(inv, $"wide {shape} {n}: build {build * 1e9 / n:F1} ns/atomic, ns/event best (median): plain {PerEvent(plain, n)}, incremental cold {PerEvent(cold, n)}, naive {PerEvent(naive, n)}"));
            }
        }

        if (Want("layers"))
        {
            var (a, root) = Layers.Build();
            var plain = Measure(30, () => SequenceCompiler.Compile(a, root));
            var cold = Measure(10, () => new IncrementalCompiler(a).Compile(root));
            var naive = Measure(3, () => NaiveReference.Flatten(a, root));
            Console.WriteLine(string.Create(inv, $"layers 100 x (A|B), 200k events, ns/event best (median): plain {PerEvent(plain, Layers.Events)}, incremental cold {PerEvent(cold, Layers.Events)}, naive {PerEvent(naive, Layers.Events)}"));
        }

        foreach (var n in Want("chain") ? new[] { 10_000, 100_000, 1_000_000 } : [])
        {
            foreach (var shape in new[] { "left", "right", "balanced" })
            {
                var a = new SequenceArena(capacity: (2 * n) + 16);
                var build = Time(() => Shapes.Chain(a, n, shape));
                var root = a.Count - 1;
                var plain = Measure(n >= 1_000_000 ? 9 : 20, () => SequenceCompiler.Compile(a, root));
                var cold = Measure(n >= 1_000_000 ? 9 : 20, () => new IncrementalCompiler(a).Compile(root));
                var naive = Measure(3, () => NaiveReference.Flatten(a, root));
                Console.WriteLine(string.Create(inv, $"chain {shape} {n}: build {build * 1e9 / n:F1} ns/atomic, ns/event best (median): plain {PerEvent(plain, n)}, incremental cold {PerEvent(cold, n)}, naive {PerEvent(naive, n)}"));
            }
        }
    }

    private static void Compile(IncrementalCompiler inc, int[] roots)
    {
        foreach (var r in roots)
        {
            inc.Compile(r);
        }
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    private static double Time<T>(Func<T> f) => Time(() => { f(); });

    private static double Best(int runs, Action a) => Measure(runs, a).Best;

    /// <summary>
    /// Best and median of <paramref name="runs"/> timed calls, after untimed calls (at least 30 and
    /// 0.5 s, at most 3 s) that let the JIT tier the code up: a cold process runs the first calls
    /// of a hot loop unoptimized or through on-stack replacement, which is not what a user's
    /// repeated compiles run. The median also shows what the best hides: a fresh output array
    /// whose pages the OS must fault in on that call.
    /// </summary>
    private static (double Best, double Median) Measure(int runs, Action a)
    {
        var warm = Stopwatch.StartNew();
        for (var calls = 0; warm.Elapsed.TotalSeconds < 3 && (calls < 30 || warm.Elapsed.TotalSeconds < 0.5); calls++)
        {
            a();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            times[i] = Time(a);
        }

        Array.Sort(times);
        return (times[0], times[runs / 2]);
    }

    private static (double Best, double Median) Measure<T>(int runs, Func<T> f) => Measure(runs, () => { f(); });

    private static string PerEvent((double Best, double Median) m, int events) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Best * 1e9 / events:F2} (median {m.Median * 1e9 / events:F2})");

    private static double Best<T>(int runs, Func<T> f) => Best(runs, () => { f(); });
}

/// <summary>
/// One shape alone in a process: the JIT's profile-guided code is then that shape's, as in one
/// BenchmarkDotNet case, and nothing else allocated before it. A `report` run mixes shapes in
/// one process, and the same compile there varies up to 2x with what ran before it.
/// </summary>
internal static class OneShape
{
    public static void Run(string[] args)
    {
        var into = args[^1] == "into";
        if (into)
        {
            args = args[..^1];
        }

        var kind = args.Length > 1 ? args[1] : "chain";
        var n = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var nesting = args.Length > 3 ? args[3] : "left";
        var seconds = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 3;
        SequenceArena arena;
        int root;
        switch (kind)
        {
            case "chain":
                arena = new SequenceArena(capacity: (2 * n) + 16);
                root = Shapes.Chain(arena, n, nesting);
                break;
            case "wide":
                arena = new SequenceArena(capacity: (2 * n) + 16);
                root = Shapes.Wide(arena, n, nesting);
                break;
            case "layers":
                (arena, root) = Layers.Build();
                n = Layers.Events;
                nesting = "";
                break;
            default:
                Console.Error.WriteLine($"unknown shape '{kind}' (chain, wide, layers)");
                Environment.ExitCode = 2;
                return;
        }

        var buffer = into ? new EventRecord[n] : null;
        var times = new List<double>();
        long faults = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || times.Count < 10)
        {
            var before = MinorFaults();
            var start = Stopwatch.GetTimestamp();
            if (buffer is null)
            {
                SequenceCompiler.Compile(arena, root);
            }
            else
            {
                SequenceCompiler.CompileInto(arena, root, buffer);
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            faults += MinorFaults() - before;
        }

        // The first half ran while the JIT tiered the loop up; only the second half counts.
        var counted = times.GetRange(times.Count / 2, times.Count - (times.Count / 2));
        var mean = 0.0;
        foreach (var t in counted)
        {
            mean += t;
        }

        mean /= counted.Count;
        counted.Sort();
        var inv = CultureInfo.InvariantCulture;
        var faultText = !OperatingSystem.IsLinux() ? "page faults not known on this OS" : string.Create(inv, $"{(double)faults / times.Count:F1} page faults per compile");
        Console.WriteLine(string.Create(inv, $"{kind} {nesting} {n}{(into ? " into" : "")}: {counted.Count} compiles timed, ns/event best {counted[0] * 1e9 / n:F2}, median {counted[counted.Count / 2] * 1e9 / n:F2}, mean {mean * 1e9 / n:F2}; {faultText}"));
    }

    /// <summary>The process's minor page faults so far (Linux: /proc/self/stat field 10; elsewhere 0).</summary>
    private static long MinorFaults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
