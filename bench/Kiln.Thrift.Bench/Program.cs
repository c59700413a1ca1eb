using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Kiln.Thrift.Bench;

// `--quick`: one warm-up and five timed rounds per stage with a stopwatch and the allocation
// counter; for a fast before/after while working. Anything else goes to BenchmarkDotNet.
if (args is ["--quick", ..])
{
    var bench = new FrontEndBenchmarks();
    bench.Setup();
    var lines = FrontEndBenchmarks.Lines;
    Console.WriteLine($"corpus: {lines:N0} lines");
    foreach (var (name, run) in new (string, Func<object>)[] { ("Lex", () => bench.Lex()), ("Parse", () => bench.Parse()), ("Bind", () => bench.Bind()), ("Emit", () => bench.Emit()) })
    {
        run();
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            run();
            times.Add(watch.Elapsed.TotalSeconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        times.Sort();
        var median = times[times.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-6} {lines / median,14:N0} lines/s  {median * 1000,8:F1} ms  {allocated / (double)lines,10:F0} B/line  {allocated / 1e6,8:F1} MB"));
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FrontEndBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(new LinesPerSecondColumn()));
