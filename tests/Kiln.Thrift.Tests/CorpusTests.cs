namespace Kiln.Thrift.Tests;

/// <summary>Kiln accepts exactly the corpus files thrift 0.17 accepts, and never throws.</summary>
public class CorpusTests
{
    /// <summary>
    /// Files where Kiln and thrift 0.17 disagree on purpose, with the reason. Asserted, so a
    /// change on either side shows up.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Every_corpus_file_is_accepted_by_both_thrift_and_kiln_or_rejected_by_both()
    {
        var root = Corpus.Root;
        Assert.True(root is not null, Corpus.SetupHint);
        var files = Corpus.Files(root);
        var verdicts = Corpus.ThriftVerdicts(root, files);

        var accepted = 0;
        var rejected = 0;
        var disagreements = new List<string>();
        var expectedDifferences = new List<string>();
        foreach (var file in files)
        {
            var compilation = Corpus.Compile(root, file);
            var kilnAccepts = !compilation.HasErrors;
            var thriftAccepts = verdicts[file];
            if (KnownDifferences.TryGetValue(file, out var reason))
            {
                Assert.True(kilnAccepts != thriftAccepts, $"{file} was a known difference ({reason}) but both now agree: remove it from the list.");
                expectedDifferences.Add(file);
                continue;
            }

            if (kilnAccepts != thriftAccepts)
            {
                var detail = string.Join("\n    ", compilation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
                disagreements.Add($"{file}: thrift {(thriftAccepts ? "accepts" : "rejects")}, Kiln {(kilnAccepts ? "accepts" : "rejects")}\n    {detail}");
            }
            else if (kilnAccepts)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"corpus: {files.Count} files, {accepted} accepted by both, {rejected} rejected by both, {expectedDifferences.Count} known differences, {disagreements.Count} disagreements");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {files.Count} files disagree:\n" + string.Join("\n", disagreements));
        Assert.True(accepted > 20 && rejected > 10, $"too few files agree ({accepted} accepted, {rejected} rejected): is the corpus complete?");
    }
}
