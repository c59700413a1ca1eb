using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Kiln.Engine.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Kiln.Engine.Bench.MemoHitBenchmarks).Assembly).Run(args);
