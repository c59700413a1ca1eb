[assembly: AssemblyFixture(typeof(Kiln.ThriftInterop.Tests.CorpusTrees))]

namespace Kiln.ThriftInterop.Tests;

/// <summary>One corpus file that thrift accepts, generated (with its includes, as <c>-r</c>) and compiled by both generators.</summary>
public sealed record CorpusEntry(string File, GeneratedSide? Kiln, GeneratedSide? Thrift, string? Error);

/// <summary>
/// The thriftrw <c>test/</c> corpus: thrift 0.17's verdict on every file, and for each file it
/// accepts, Kiln's and thrift's output compiled once for the whole test run.
/// </summary>
public sealed class CorpusTrees
{
    private readonly Lazy<(IReadOnlyList<string> Files, IReadOnlyList<CorpusEntry> Accepted)> corpus = new(Build);

    /// <summary>Every <c>.thrift</c> file of the corpus, relative to its root.</summary>
    public IReadOnlyList<string> Files => corpus.Value.Files;

    /// <summary>The files thrift 0.17 accepts (<c>thrift --gen netstd -r</c> exits with 0), by path.</summary>
    public IReadOnlyList<CorpusEntry> Accepted => corpus.Value.Accepted;

    private static (IReadOnlyList<string>, IReadOnlyList<CorpusEntry>) Build()
    {
        var root = Peers.CorpusRoot;
        _ = Peers.Thrift;
        var files = Peers.CorpusFiles(root);
        ThreadPools.Widen();

        // One thrift run per file decides the verdict and gives thrift's output (with -r, so that
        // a file's includes are generated too and the tree builds on its own).
        var entries = new CorpusEntry?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var file = files[i];
            var path = Path.Combine(root, file);
            var name = file.Replace('/', '.').Replace(".thrift", "", StringComparison.Ordinal);
            if (!GeneratedTree.TryThrift(path, recursive: true, out var thriftFiles))
            {
                return;
            }

            GeneratedSide? kiln = null;
            GeneratedSide? thrift = null;
            try
            {
                if (file == "thrift/ThriftTest.thrift")
                {
                    (kiln, thrift) = ThriftTestTrees.Shared.Value;
                    entries[i] = new CorpusEntry(file, kiln, thrift, null);
                    return;
                }

                if (IncludesOnlyThriftTest(path))
                {
                    // Include.thrift and ReuseObjects.thrift: compiled against the shared ThriftTest
                    // assemblies rather than with a second copy of ThriftTest's code.
                    var (kilnThriftTest, thriftThriftTest) = ThriftTestTrees.Shared.Value;
                    kiln = new GeneratedSide("kiln", GeneratedTree.Kiln(path, recursive: false), name, withRpc: false, [kilnThriftTest]);
                    thrift = new GeneratedSide("thrift", GeneratedTree.Thrift(path, recursive: false), name, withRpc: false, [thriftThriftTest]);
                }
                else
                {
                    kiln = new GeneratedSide("kiln", GeneratedTree.Kiln(path, recursive: true), name, withRpc: false);
                    thrift = new GeneratedSide("thrift", thriftFiles, name, withRpc: false);
                }

                entries[i] = new CorpusEntry(file, kiln, thrift, null);
            }
            catch (InvalidOperationException e)
            {
                entries[i] = new CorpusEntry(file, kiln, thrift, e.Message);
            }
        });

        return (files, [.. entries.OfType<CorpusEntry>()]);
    }

    /// <summary>Whether a file includes ThriftTest.thrift (from its own folder) and nothing else.</summary>
    private static bool IncludesOnlyThriftTest(string path)
    {
        var includes = File.ReadLines(path)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\s*include\s+""([^""]+)"""))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToList();
        return includes.Count > 0 && includes.All(include => include is "./ThriftTest.thrift" or "ThriftTest.thrift");
    }
}
