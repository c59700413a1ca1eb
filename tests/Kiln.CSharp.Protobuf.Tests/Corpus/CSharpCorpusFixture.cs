using System.Collections.Concurrent;
using System.Diagnostics;
using Kiln.Build;

[assembly: AssemblyFixture(typeof(Kiln.CSharp.Protobuf.Tests.Corpus.CSharpCorpusFixture))]

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>One in-process <c>kiln protoc --csharp_out --grpc_out</c> run: its files, or why there are none.</summary>
/// <param name="Tree">The generated C# files; null when the run failed.</param>
/// <param name="GrpcTree">The generated gRPC files (a folder of their own, so that <paramref name="Tree"/> compares with protoc's --csharp_out); null when the run failed.</param>
/// <param name="Failure">Why the run produced nothing (its messages), or null.</param>
internal sealed record KilnCSharpRun(GeneratedTree? Tree, GeneratedTree? GrpcTree, string? Failure, IReadOnlyList<string> Messages, TimeSpan Elapsed)
{
    /// <summary>
    /// <c>ProtocRun.Run</c> with protoc's arguments: <c>-I<paramref name="protoPath"/>
    /// --csharp_out=<paramref name="output"/> --csharp_opt=base_namespace= --grpc_out=OUTPUT-grpc
    /// --grpc_opt=base_namespace=</c> and the inputs (as paths under the proto path).
    /// </summary>
    public static KilnCSharpRun Run(string protoPath, IEnumerable<string> inputs, string output)
    {
        var grpcOutput = output + "-grpc";
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(grpcOutput);
        var watch = Stopwatch.StartNew();
        string[] args = ["-I" + protoPath, "--csharp_out=" + output, "--csharp_opt=base_namespace=", "--grpc_out=" + grpcOutput, "--grpc_opt=base_namespace=", .. inputs.Select(f => Path.Combine(protoPath, f))];
        var request = ProtocArguments.Parse(args, out var error);
        if (request == null)
        {
            return new KilnCSharpRun(null, null, "ProtocArguments.Parse: " + error, [], watch.Elapsed);
        }

        ProtocResult result;
        try
        {
            result = ProtocRun.Run(request);
        }
        catch (Exception e)
        {
            return new KilnCSharpRun(null, null, $"ProtocRun.Run threw {e.GetType().Name}: {e.Message}", [], watch.Elapsed);
        }

        if (result.Outcome != ProtocOutcome.Success)
        {
            var head = string.Join("\n", result.Messages.Take(10));
            var more = result.Messages.Count > 10 ? $"\n… and {result.Messages.Count - 10} more messages" : "";
            return new KilnCSharpRun(null, null, $"kiln protoc: {result.Outcome}: {head}{more}", result.Messages, watch.Elapsed);
        }

        return new KilnCSharpRun(GeneratedTree.Load(output), GeneratedTree.Load(grpcOutput), null, result.Messages, watch.Elapsed);
    }
}

/// <summary>Kiln's output over the corpus and the well-known types, from the reference's inputs.</summary>
internal sealed record KilnCSharpOutput(KilnCSharpRun Corpus, KilnCSharpRun Wkt);

/// <summary>
/// What the corpus tests share, built on first use (so that tests of other folders never pay for
/// it): protoc's cached reference output and Kiln's output for the same inputs, in a temporary
/// folder removed at the end of the run.
/// </summary>
public sealed class CSharpCorpusFixture : IDisposable
{
    private readonly string _kilnRoot = Path.Combine(Path.GetTempPath(), $"kiln-csharp-corpus-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly Lazy<CSharpReference> _reference = new(CSharpReference.LoadOrBuild);
    private readonly Lazy<KilnCSharpOutput> _kiln;

    public CSharpCorpusFixture()
    {
        _kiln = new Lazy<KilnCSharpOutput>(() =>
        {
            var reference = Reference;
            var corpus = KilnCSharpRun.Run(CorpusPeers.Corpus, reference.CorpusInputs, Path.Combine(_kilnRoot, "corpus"));
            var wkt = KilnCSharpRun.Run(CorpusPeers.Include, reference.WktInputs, Path.Combine(_kilnRoot, "wkt"));
            return new KilnCSharpOutput(corpus, wkt);
        });
    }

    internal CSharpReference Reference => _reference.Value;

    internal KilnCSharpOutput Kiln => _kiln.Value;

    /// <summary>Shared by the compile tests, so that a compilation of the same bytes runs once.</summary>
    internal CSharpCorpusCompiler Compiler { get; } = new();

    private readonly ConcurrentDictionary<int, Lazy<(CompilePlan Plan, TimeSpan Elapsed)>> _plans = new();

    /// <summary>
    /// The compile plan (on protoc's output) for <paramref name="sampleSize"/> corpus files spread
    /// evenly (every corpus file when 0), made once per size, and how long making it took.
    /// </summary>
    internal (CompilePlan Plan, TimeSpan Elapsed) Plan(int sampleSize) => _plans.GetOrAdd(sampleSize, size => new(() =>
    {
        var watch = Stopwatch.StartNew();
        var files = Reference.Corpus.Files;
        var plan = CompilePlan.Create(Reference.Corpus, size == 0 ? files : CompilePlan.Sample(files, size));
        return (plan, watch.Elapsed);
    })).Value;

    public void Dispose()
    {
        if (Directory.Exists(_kilnRoot))
        {
            Directory.Delete(_kilnRoot, recursive: true);
        }
    }
}
