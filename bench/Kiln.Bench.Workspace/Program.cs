using Kiln.Bench.Workspace;

// Synthetic workspaces for the whole-process benchmarks (bench/build-vs-peers.sh):
//   generate --lang proto|thrift --lines N --out DIR [--seed S]
//       writes DIR/kiln.json and DIR/protos/**.proto or DIR/thrift/**.thrift; deterministic
//       (the same seed gives byte-identical files).
//   measure-watch --dir DIR --kiln PATH [--edits 20] [--timeout-seconds 600]
//       starts `kiln watch DIR`, edits files and prints how long each edit took to reach the
//       outputs on disk (p50, p95).
const string Usage = """
    usage: Kiln.Bench.Workspace generate --lang proto|thrift --lines N --out DIR [--seed S]
           Kiln.Bench.Workspace measure-watch --dir DIR --kiln PATH [--edits 20] [--timeout-seconds 600]
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    var arguments = new Arguments(args[1..]);
    return args[0] switch
    {
        "generate" => Generator.Run(arguments),
        "measure-watch" => WatchMeasurement.Run(arguments),
        _ => throw new ArgumentException($"unknown command '{args[0]}'"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
