using System.Collections.Concurrent;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// Every file of the thriftrw <c>test/</c> corpus that thrift 0.17 accepts is accepted by Kiln, and
/// what Kiln generates for it (with its includes, as <c>-r</c>) builds with no error and no warning.
/// </summary>
public sealed class CorpusBuildTests
{
    /// <summary>
    /// Accepted files whose Kiln output does not build cleanly today, with the first diagnostic's
    /// id. Asserted, so a fix in the emitter makes this test fail until the entry is removed.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Kiln_output_for_every_corpus_file_thrift_accepts_builds_with_no_errors_and_no_warnings()
    {
        var root = Peers.CorpusRoot;
        _ = Peers.Thrift;
        var files = Peers.CorpusFiles(root);
        var accepted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Parallel.ForEach(files, file =>
        {
            var output = Directory.CreateTempSubdirectory("kiln-interop-verdict-");
            try
            {
                accepted[file] = Peers.RunThrift(Path.Combine(root, file), output.FullName, recursive: false).ExitCode == 0;
            }
            finally
            {
                output.Delete(recursive: true);
            }
        });

        var candidates = files.Where(file => accepted[file]).ToList();
        var outcomes = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        var generatedFiles = 0;
        Parallel.ForEach(candidates, file =>
        {
            try
            {
                var generated = GeneratedTree.Kiln(Path.Combine(root, file), recursive: true);
                Interlocked.Add(ref generatedFiles, generated.Count);
                var output = Roslyn.Check(Path.GetFileNameWithoutExtension(file), generated);
                outcomes[file] = output.Problems.Any() ? output.Describe(10) : null;
            }
            catch (InvalidOperationException e)
            {
                outcomes[file] = e.Message;
            }
        });

        var failures = new List<string>();
        var clean = 0;
        foreach (var file in candidates)
        {
            var problem = outcomes[file];
            if (KnownDifferences.TryGetValue(file, out var known))
            {
                if (problem is null || !problem.Contains(known, StringComparison.Ordinal))
                {
                    failures.Add($"{file}: known difference '{known}' is gone or changed (update KnownDifferences): {problem ?? "builds clean now"}");
                }
            }
            else if (problem is not null)
            {
                failures.Add($"{file}: {problem}");
            }
            else
            {
                clean++;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"corpus: {files.Count} files, {candidates.Count} accepted by thrift 0.17, {clean} build clean from Kiln's output ({generatedFiles} C# files), {KnownDifferences.Count} known differences");
        Assert.True(failures.Count == 0, $"{failures.Count} of {candidates.Count} accepted corpus files fail:\n" + string.Join("\n", failures));
        Assert.True(candidates.Count >= 25, $"only {candidates.Count} corpus files accepted by thrift: is the corpus complete? {Peers.SetupHint}");
    }
}
