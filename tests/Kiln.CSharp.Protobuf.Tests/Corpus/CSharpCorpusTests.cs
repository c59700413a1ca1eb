using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>
/// protoc 35.1's <c>--csharp_out</c> over google-proto-files and the well-known types (cached
/// under ~/.cache/kiln/reference/csharp-35.1) against Kiln's, file by file.
/// </summary>
public sealed class CSharpCorpusTests(CSharpCorpusFixture fixture)
{
    /// <summary>The checked-in floor of identical files; the comparison fails below it.</summary>
    internal const string FloorFile = "tests/Kiln.CSharp.Protobuf.Tests/Corpus/csharp-floor.txt";

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    [Fact]
    public void ReferenceOutputCoversEveryInput()
    {
        var watch = Stopwatch.StartNew();
        var reference = fixture.Reference;
        Output?.WriteLine($"reference: {reference.Root} ({(reference.BuiltNow ? "built" : "loaded")} in {reference.Elapsed.TotalSeconds:F1} s)");
        foreach (var line in reference.BuildInfo)
        {
            Output?.WriteLine("  " + line);
        }

        Output?.WriteLine($"excluded corpus files ({reference.Excluded.Count}):");
        foreach (var excluded in reference.Excluded)
        {
            Output?.WriteLine($"  {excluded.File}: {excluded.Reason}");
        }

        // protoc writes exactly one C# file per input: every input has one, and no file is left over.
        foreach (var (inputs, tree) in new[] { (reference.CorpusInputs, reference.Corpus), (reference.WktInputs, reference.Wkt) })
        {
            var missing = inputs.Where(f => tree.FileFor(f) == null).ToList();
            Assert.True(missing.Count == 0, $"no C# file in {tree.Root} for {missing.Count} inputs, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.Equal(inputs.Count, tree.Files.Count);
        }

        Assert.True(reference.CorpusInputs.Count > 7000, $"only {reference.CorpusInputs.Count} corpus files");
        Output?.WriteLine($"{reference.CorpusInputs.Count} corpus files and {reference.WktInputs.Count} well-known types, one C# file each ({watch.Elapsed.TotalSeconds:F1} s)");
    }

    [Fact]
    public void KilnOutputMatchesProtoc()
    {
        var watch = Stopwatch.StartNew();
        var reference = fixture.Reference;
        var kiln = fixture.Kiln;
        var text = new StringBuilder();
        foreach (var (set, run) in new[] { ("corpus", kiln.Corpus), ("wkt", kiln.Wkt) })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"kiln protoc --csharp_out over the {set}: {(run.Failure == null ? "ok" : "FAILED")} in {run.Elapsed.TotalSeconds:F1} s, {run.Messages.Count} messages");
            if (run.Failure != null)
            {
                text.AppendLine("  " + run.Failure.Replace("\n", "\n  ", StringComparison.Ordinal));
            }
        }

        var verdicts = CSharpCorpusComparison.Compare("corpus", reference.Corpus, kiln.Corpus)
            .Concat(CSharpCorpusComparison.Compare("wkt", reference.Wkt, kiln.Wkt))
            .ToList();
        var total = reference.Corpus.Files.Count + reference.Wkt.Files.Count;
        var identical = verdicts.Count(v => v.Kind == CSharpCorpusComparison.Identical);
        text.AppendLine(CultureInfo.InvariantCulture, $"identical: {identical} of {total} C# files ({reference.Corpus.Files.Count} corpus, {reference.Wkt.Files.Count} well-known types)");
        foreach (var group in verdicts.GroupBy(v => v.Kind).OrderByDescending(g => g.Count()))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()}");
        }

        var differing = verdicts.Where(v => v.Kind != CSharpCorpusComparison.Identical).ToList();
        foreach (var v in differing.Where(v => v.Kind != CSharpCorpusComparison.KilnRunFailed).Take(20))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{v.Set}/{v.File}: {v.Kind}{(v.Detail.Length > 0 ? ": " + v.Detail : "")}");
            if (v.Diff != null)
            {
                text.Append(v.Diff);
            }
        }

        var report = WriteReport(verdicts);
        text.AppendLine(CultureInfo.InvariantCulture, $"every differing file and its class: {report}");

        var floor = int.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "csharp-floor.txt")).Trim(), CultureInfo.InvariantCulture);
        if (identical > floor)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"RAISE THE FLOOR: {identical} files are identical, the floor is {floor}: echo {identical} > {FloorFile}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"({watch.Elapsed.TotalSeconds:F1} s, Kiln's runs included)");
        Output?.WriteLine(text.ToString());
        Assert.True(identical >= floor, $"only {identical} of {total} C# files are identical to protoc's, below the floor of {floor} ({FloorFile}):\n{text}");
    }

    /// <summary>Writes <c>TestResults/csharp-corpus-differences.tsv</c> (set/file, class, detail) next to the test binary.</summary>
    private static string WriteReport(List<FileVerdict> verdicts)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "csharp-corpus-differences.tsv");
        File.WriteAllLines(path, verdicts
            .Where(v => v.Kind != CSharpCorpusComparison.Identical)
            .Select(v => $"{v.Set}/{v.File}\t{v.Kind}\t{v.Detail.Replace('\n', ' ').Replace('\t', ' ')}"));
        return path;
    }
}
