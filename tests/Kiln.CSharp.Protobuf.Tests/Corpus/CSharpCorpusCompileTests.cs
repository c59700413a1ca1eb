using System.Diagnostics;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>
/// Generated C# compiles (Roslyn, against Google.Protobuf and Grpc.Core.Api; Kiln's with its gRPC files): a sample of 200
/// corpus files (with what they import) and the well-known types in CI, protoc's output first
/// to validate the harness, then Kiln's; the whole corpus with <c>KILN_FULL_CORPUS=1</c>
/// (bench/compile-csharp-corpus.sh).
/// </summary>
public sealed class CSharpCorpusCompileTests(CSharpCorpusFixture fixture)
{
    private const int SampleSize = 200;

    private static readonly bool s_fullCorpus = Environment.GetEnvironmentVariable("KILN_FULL_CORPUS") == "1";

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    [Fact]
    public void ProtocSampleCompiles() => CompileReference(SampleSize);

    [Fact]
    public void KilnSampleCompiles() => CompileKiln(SampleSize);

    [Fact]
    public void ProtocCorpusCompiles()
    {
        Assert.SkipUnless(s_fullCorpus, "the whole corpus compiles only with KILN_FULL_CORPUS=1 (bench/compile-csharp-corpus.sh)");
        CompileReference(0);
    }

    [Fact]
    public void KilnCorpusCompiles()
    {
        Assert.SkipUnless(s_fullCorpus, "the whole corpus compiles only with KILN_FULL_CORPUS=1 (bench/compile-csharp-corpus.sh)");
        CompileKiln(0);
    }

    private void CompileReference(int sampleSize)
    {
        var watch = Stopwatch.StartNew();
        var reference = fixture.Reference;
        var (plan, wktPlan) = Plans(sampleSize);
        var corpus = fixture.Compiler.Compile(reference.Corpus, plan);
        var wkt = fixture.Compiler.Compile(reference.Wkt, wktPlan);
        Report("protoc", plan, corpus, wkt, watch);
        Assert.True(corpus.Unexpected == 0, $"protoc's corpus output has {corpus.Unexpected} errors not in CSharpCorpusCompiler.KnownProtocErrors (a harness problem, or a new protoc defect to list there):\n{corpus.FirstErrors}");
        Assert.True(wkt.Unexpected == 0, $"protoc's well-known types have {wkt.Unexpected} unexpected errors (a harness problem):\n{wkt.FirstErrors}");
    }

    private void CompileKiln(int sampleSize)
    {
        var watch = Stopwatch.StartNew();
        var kiln = fixture.Kiln;
        if (kiln.Corpus.Tree == null || kiln.Wkt.Tree == null)
        {
            Assert.Skip($"Kiln wrote no C# to compile: {kiln.Corpus.Failure ?? kiln.Wkt.Failure}");
        }

        var (plan, wktPlan) = Plans(sampleSize);
        var corpus = fixture.Compiler.Compile(kiln.Corpus.Tree, plan, grpc: kiln.Corpus.GrpcTree);
        var wkt = fixture.Compiler.Compile(kiln.Wkt.Tree, wktPlan);
        Assert.True(corpus.GrpcFiles > 0, "no gRPC file of Kiln's was compiled (the sample should hold services)");
        Report("kiln", plan, corpus, wkt, watch);
        Assert.True(corpus.Unexpected == 0 && corpus.Missing.Count == 0,
            $"Kiln's corpus output does not compile: {corpus.Unexpected} errors (besides protoc's own), missing {corpus.Missing.Count} files ({string.Join(", ", corpus.Missing.Take(5))})\n{corpus.FirstErrors}");
        Assert.True(wkt.Unexpected == 0 && wkt.Missing.Count == 0,
            $"Kiln's well-known types do not compile: {wkt.Unexpected} errors, missing {wkt.Missing.Count} files ({string.Join(", ", wkt.Missing.Take(5))})\n{wkt.FirstErrors}");
    }

    /// <summary>The plan for the corpus roots (laid out on protoc's output) and for the well-known types (one compilation).</summary>
    private (CompilePlan Corpus, CompilePlan Wkt) Plans(int sampleSize)
    {
        var reference = fixture.Reference;
        var (plan, elapsed) = fixture.Plan(sampleSize);
        var wkt = new CompilePlan([reference.Wkt.Files], reference.Wkt.Files, []);
        Output?.WriteLine($"plan: {plan.Roots.Count} roots, {plan.FileCount} files with their imports, {plan.Groups.Count} compilations, {plan.Skipped.Count} roots skipped (planned in {elapsed.TotalSeconds:F1} s, once per run)");
        foreach (var skipped in plan.Skipped.Take(20))
        {
            Output?.WriteLine("  skipped: " + skipped);
        }

        return (plan, wkt);
    }

    private static void Report(string label, CompilePlan plan, CSharpCorpusCompiler.Result corpus, CSharpCorpusCompiler.Result wkt, Stopwatch watch)
    {
        Output?.WriteLine(corpus.Summary($"{label} corpus ({plan.Roots.Count} roots)"));
        Output?.WriteLine(wkt.Summary($"{label} well-known types"));
        if (corpus.Unexpected + wkt.Unexpected > 0)
        {
            Output?.WriteLine("first errors:\n" + corpus.FirstErrors + wkt.FirstErrors);
        }

        Output?.WriteLine($"({watch.Elapsed.TotalSeconds:F1} s in this test)");
    }
}
