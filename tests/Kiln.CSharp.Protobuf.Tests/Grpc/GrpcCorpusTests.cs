using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kiln.CSharp.Protobuf.Grpc;

namespace Kiln.CSharp.Protobuf.Tests.Grpc;

/// <summary>
/// Every google-proto-files file that declares a service, through Kiln's driver and generator and through
/// protoc + grpc_csharp_plugin 2.85: the output paths and texts must be identical. The plugin's output is
/// cached under <c>~/.cache/kiln/reference/grpc-2.85.0/</c>, keyed by the binaries and the corpus files,
/// so only the first run pays for the reference.
/// </summary>
public sealed partial class GrpcCorpusTests(ITestOutputHelper output)
{
    /// <summary>Files allowed to differ, one per line: <c>path&lt;TAB&gt;reason</c> (<c>#</c> starts a comment).</summary>
    private static string KnownDifferencesFile => Path.Combine(GrpcPeers.TestData, "corpus-known-differences.txt");

    [GeneratedRegex(@"(^|[;}\s])service\s+\w+\s*\{", RegexOptions.Multiline)]
    private static partial Regex ServiceDeclaration();

    [Fact]
    public void Corpus_services_match_the_plugin()
    {
        GrpcPeers.RequireCorpus();
        var corpus = GrpcPeers.Corpus;
        var stopwatch = Stopwatch.StartNew();

        // Candidates: every file with something that looks like a service (a superset; files
        // without services give no output on either side).
        var candidates = new List<string>();
        foreach (var path in Directory.GetFiles(corpus, "*.proto", SearchOption.AllDirectories))
        {
            if (ServiceDeclaration().IsMatch(File.ReadAllText(path)))
            {
                candidates.Add(Path.GetRelativePath(corpus, path).Replace('\\', '/'));
            }
        }

        candidates.Sort(StringComparer.Ordinal);
        Assert.NotEmpty(candidates);

        var reference = GrpcCorpusReference.Load(corpus, candidates, Log);
        var referenceTime = stopwatch.Elapsed;
        stopwatch.Restart();

        var accepted = new List<string>();
        foreach (var f in candidates)
        {
            if (reference.Rejected.Contains(f))
            {
                continue;
            }

            accepted.Add(f);
        }

        var inputs = new List<string>(accepted.Count);
        foreach (var f in accepted)
        {
            inputs.Add(Path.Combine(corpus, f));
        }

        var index = KilnGrpc.Compile([corpus], inputs);
        var compileTime = stopwatch.Elapsed;
        stopwatch.Restart();

        var identical = 0;
        var total = 0;
        var differing = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in accepted)
        {
            var generated = GrpcCSharpGenerator.Generate(index.GetFile(f), GrpcOptions.Default, out var error);
            var expected = reference.Outputs.GetValueOrDefault(f);
            if (expected == null && generated == null && error == null)
            {
                continue; // no services on either side
            }

            total++;
            string? problem;
            if (error != null)
            {
                problem = "Kiln failed: " + error;
            }
            else if (expected == null)
            {
                problem = $"Kiln wrote {generated!.Path}, the plugin wrote nothing";
            }
            else if (generated == null)
            {
                problem = $"the plugin wrote {expected.Path}, Kiln wrote nothing";
            }
            else if (expected.Path != generated.Path)
            {
                problem = $"path {generated.Path}, the plugin's {expected.Path}";
            }
            else
            {
                problem = TextDiff.Describe(expected.Content, generated.Content);
            }

            if (problem == null)
            {
                identical++;
            }
            else
            {
                differing[f] = problem;
            }
        }

        var generateTime = stopwatch.Elapsed;
        Log($"gRPC corpus: identical {identical} / total {total} files with services " +
            $"({candidates.Count} candidates, {reference.Rejected.Count} rejected by protoc; " +
            $"reference {referenceTime.TotalSeconds:F1}s, kiln compile {compileTime.TotalSeconds:F1}s, generate {generateTime.TotalSeconds:F1}s)");

        var known = LoadKnownDifferences();
        var unexpected = new StringBuilder();
        foreach (var (file, problem) in differing)
        {
            if (!known.ContainsKey(file))
            {
                unexpected.Append($"{file}: {problem}\n");
            }
        }

        foreach (var file in known.Keys)
        {
            if (!differing.ContainsKey(file))
            {
                unexpected.Append($"{file}: listed in {Path.GetFileName(KnownDifferencesFile)} but now identical (or gone): remove it\n");
            }
        }

        Assert.True(total > 1000, $"only {total} corpus files with services were compared");
        Assert.True(unexpected.Length == 0, $"identical {identical} / total {total}; unexpected:\n{Truncate(unexpected.ToString(), 20_000)}");
    }

    private void Log(string message)
    {
        output.WriteLine(message);
        TestContext.Current.SendDiagnosticMessage(message);
    }

    private static Dictionary<string, string> LoadKnownDifferences()
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(KnownDifferencesFile))
        {
            return known;
        }

        foreach (var line in File.ReadAllLines(KnownDifferencesFile))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            Assert.True(tab > 0, $"{KnownDifferencesFile}: expected \"path<TAB>reason\", got \"{line}\"");
            known.Add(line[..tab], line[(tab + 1)..]);
        }

        return known;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "\n…";
}

/// <summary>One file written by the real plugin.</summary>
internal sealed record ReferenceOutput(string Path, string Content);

/// <summary>
/// grpc_csharp_plugin's output for the corpus candidates, from the cache or made now. The plugin writes
/// every file at the top of the output directory, so inputs with the same output name go to different
/// protoc runs (batches); a file's output is found by its <c>// source:</c> line.
/// </summary>
internal sealed class GrpcCorpusReference
{
    private const string Manifest = "manifest.tsv";

    private GrpcCorpusReference(Dictionary<string, ReferenceOutput> outputs, HashSet<string> rejected)
    {
        Outputs = outputs;
        Rejected = rejected;
    }

    /// <summary>The plugin's file for each candidate that has services.</summary>
    public Dictionary<string, ReferenceOutput> Outputs { get; }

    /// <summary>Candidates protoc does not compile.</summary>
    public HashSet<string> Rejected { get; }

    public static GrpcCorpusReference Load(string corpus, IReadOnlyList<string> candidates, Action<string> log)
    {
        var directory = Path.Combine(GrpcPeers.ReferenceCache, "corpus-default-" + Key(corpus, candidates));
        if (File.Exists(Path.Combine(directory, Manifest)))
        {
            return Read(directory);
        }

        var stopwatch = Stopwatch.StartNew();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var outputs = new Dictionary<string, ReferenceOutput>(StringComparer.Ordinal);
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        var gate = new object();
        Parallel.ForEach(Batches(candidates), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            var (batchOutputs, batchRejected) = RunBatch(corpus, batch);
            lock (gate)
            {
                foreach (var (file, result) in batchOutputs)
                {
                    outputs.Add(file, result);
                }

                rejected.UnionWith(batchRejected);
            }
        });

        var manifest = new StringBuilder();
        foreach (var file in candidates)
        {
            if (rejected.Contains(file))
            {
                manifest.Append($"{file}\trejected\t\n");
            }
            else if (outputs.TryGetValue(file, out var result))
            {
                var cached = Path.Combine(directory, "files", file + ".cs");
                Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
                File.WriteAllBytes(cached, new UTF8Encoding(false).GetBytes(result.Content));
                manifest.Append($"{file}\tfile\t{result.Path}\n");
            }
            else
            {
                manifest.Append($"{file}\tnone\t\n");
            }
        }

        // The manifest is written last: its presence marks a complete cache entry.
        var temporary = Path.Combine(directory, Manifest + ".tmp");
        File.WriteAllText(temporary, manifest.ToString());
        File.Move(temporary, Path.Combine(directory, Manifest));
        RemoveStaleEntries(directory);
        log($"gRPC corpus reference made in {stopwatch.Elapsed.TotalSeconds:F1}s: {directory}");
        return new GrpcCorpusReference(outputs, rejected);
    }

    private static GrpcCorpusReference Read(string directory)
    {
        var outputs = new Dictionary<string, ReferenceOutput>(StringComparer.Ordinal);
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(directory, Manifest)))
        {
            var parts = line.Split('\t');
            switch (parts[1])
            {
                case "rejected":
                    rejected.Add(parts[0]);
                    break;
                case "file":
                    outputs.Add(parts[0], new ReferenceOutput(parts[2], File.ReadAllText(Path.Combine(directory, "files", parts[0] + ".cs"), Encoding.UTF8)));
                    break;
            }
        }

        return new GrpcCorpusReference(outputs, rejected);
    }

    /// <summary>Changes with the binaries, the option set and any candidate file (by size and time).</summary>
    private static string Key(string corpus, IReadOnlyList<string> candidates)
    {
        var text = new StringBuilder("grpc-options:\n");
        foreach (var binary in new[] { GrpcPeers.Protoc, GrpcPeers.Plugin })
        {
            var info = new FileInfo(binary);
            text.Append($"{info.Length} {info.LastWriteTimeUtc.Ticks}\n");
        }

        foreach (var file in candidates)
        {
            var info = new FileInfo(Path.Combine(corpus, file));
            text.Append($"{file} {info.Length} {info.LastWriteTimeUtc.Ticks}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static void RemoveStaleEntries(string keep)
    {
        foreach (var other in Directory.GetDirectories(Path.GetDirectoryName(keep)!, "corpus-default-*"))
        {
            if (!string.Equals(other, keep, StringComparison.Ordinal))
            {
                Directory.Delete(other, recursive: true);
            }
        }
    }

    /// <summary>Greedy batches in which no two files get the same output name.</summary>
    private static List<List<string>> Batches(IReadOnlyList<string> candidates)
    {
        var batches = new List<List<string>>();
        var names = new List<HashSet<string>>();
        foreach (var file in candidates)
        {
            var name = GrpcCSharpGenerator.FileNameInUpperCamel(file);
            var i = 0;
            while (i < batches.Count && names[i].Contains(name))
            {
                i++;
            }

            if (i == batches.Count)
            {
                batches.Add([]);
                names.Add(new HashSet<string>(StringComparer.Ordinal));
            }

            batches[i].Add(file);
            names[i].Add(name);
        }

        return batches;
    }

    /// <summary>One protoc run; files protoc names in its errors are dropped and the rest run again.</summary>
    private static (Dictionary<string, ReferenceOutput> Outputs, HashSet<string> Rejected) RunBatch(string corpus, List<string> batch)
    {
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        var remaining = new List<string>(batch);
        while (remaining.Count > 0)
        {
            var inputs = new List<string>(remaining.Count);
            foreach (var f in remaining)
            {
                inputs.Add(Path.Combine(corpus, f));
            }

            var (files, stderr) = GrpcPeers.RunPlugin([corpus], inputs, "");
            if (files != null)
            {
                return (BySource(files), rejected);
            }

            var failing = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in stderr.Split('\n'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && !line.Contains(": warning:", StringComparison.Ordinal) && remaining.Contains(line[..colon]))
                {
                    failing.Add(line[..colon]);
                }
            }

            if (failing.Count == 0)
            {
                // Nothing named: run each file alone.
                if (remaining.Count == 1)
                {
                    rejected.Add(remaining[0]);
                    return ([], rejected);
                }

                var outputs = new Dictionary<string, ReferenceOutput>(StringComparer.Ordinal);
                foreach (var f in remaining)
                {
                    var (single, singleRejected) = RunBatch(corpus, [f]);
                    foreach (var (k, v) in single)
                    {
                        outputs.Add(k, v);
                    }

                    rejected.UnionWith(singleRejected);
                }

                return (outputs, rejected);
            }

            rejected.UnionWith(failing);
            remaining.RemoveAll(failing.Contains);
        }

        return ([], rejected);
    }

    /// <summary>The plugin's files by the .proto file named on their <c>//     source:</c> line.</summary>
    private static Dictionary<string, ReferenceOutput> BySource(Dictionary<string, string> files)
    {
        const string marker = "\n//     source: ";
        var result = new Dictionary<string, ReferenceOutput>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            var start = content.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(start >= 0, $"{path}: no source line");
            start += marker.Length;
            var source = content[start..content.IndexOf('\n', start)];
            result.Add(source, new ReferenceOutput(path, content));
        }

        return result;
    }
}
