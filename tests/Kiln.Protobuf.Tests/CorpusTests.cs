using System.Diagnostics;
using Google.Protobuf.Reflection;
using Kiln.Text;

namespace Kiln.Protobuf.Tests;

/// <summary>
/// google-proto-files through Kiln and protoc: per file, the descriptors must be byte-identical,
/// and a file protoc rejects must be rejected by Kiln. A deterministic sample runs by default;
/// <c>KILN_FULL_CORPUS=1</c> runs all ~8 000 files.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    /// <summary>Ratchet: raise it when Kiln gets better, never lower it. Full corpus (measured): 8 043/8 043 accepted files identical.</summary>
    private const double MinIdenticalFraction = 1.0;

    /// <summary>Ratchet for descriptors with <c>--include_source_info</c>.</summary>
    private const double MinIdenticalFractionWithSourceInfo = 1.0;

    private static bool Full => Environment.GetEnvironmentVariable("KILN_FULL_CORPUS") == "1";

    private static List<string> UnusedImportLines(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.EndsWith(" is unused.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Corpus_descriptors_match_protoc() => Run(includeSourceInfo: false, MinIdenticalFraction);

    [Fact]
    public void Corpus_descriptors_with_source_info_match_protoc() => Run(includeSourceInfo: true, MinIdenticalFractionWithSourceInfo);

    private void Run(bool includeSourceInfo, double floor)
    {
        var root = Peers.RequireCorpus();
        Peers.RequireProtoc();
        var all = Directory.GetFiles(root, "*.proto", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var selected = Full ? all : all.Where((_, i) => i % 8 == 0).ToList();

        var stopwatch = Stopwatch.StartNew();
        var compilation = new ProtoCompilation(p => GoldenTests.Load(p, root), new LinkOptions { IncludeSourceInfo = includeSourceInfo });
        var kiln = new Dictionary<string, LinkedProtoFile?>(StringComparer.Ordinal);
        foreach (var f in selected)
        {
            kiln[f] = compilation.Compile(f);
        }

        var kilnTime = stopwatch.Elapsed;
        var accepted = selected.Where(f => kiln[f] is { HasErrors: false }).ToList();
        var rejected = selected.Where(f => kiln[f] is not { HasErrors: false }).ToList();

        // protoc over everything Kiln accepts; drop files protoc rejects and retry.
        stopwatch.Restart();
        var protocRejects = new HashSet<string>(StringComparer.Ordinal);
        var outFile = Path.Combine(Path.GetTempPath(), $"kiln-corpus-{Environment.ProcessId}.pb");
        var list = Path.Combine(Path.GetTempPath(), $"kiln-corpus-{Environment.ProcessId}.txt");
        FileDescriptorSet? expected = null;
        List<string> protocUnusedImports = [];
        var batch = accepted.ToList();
        for (var round = 0; round < 8 && expected == null; round++)
        {
            File.WriteAllLines(list, batch);
            var args = new List<string> { "-I.", "--descriptor_set_out=" + outFile, "@" + list };
            if (includeSourceInfo)
            {
                args.Insert(0, "--include_source_info");
            }

            var (exit, stderr) = Peers.Run(root, args);
            if (exit == 0)
            {
                expected = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(outFile));
                protocUnusedImports = UnusedImportLines(stderr.Split('\n'));
                break;
            }

            var failing = stderr.Split('\n')
                .Where(l => l.Length > 0 && !l.Contains(": warning:", StringComparison.Ordinal))
                .Select(l => l.Split(':')[0])
                .Where(batch.Contains)
                .ToHashSet(StringComparer.Ordinal);
            Assert.True(failing.Count > 0, "protoc failed without naming a file:\n" + stderr);
            protocRejects.UnionWith(failing);
            batch = batch.Where(f => !failing.Contains(f)).ToList();
        }

        Assert.NotNull(expected);
        var protocTime = stopwatch.Elapsed;

        // Files Kiln rejects: protoc must reject them too (checked one by one).
        var wronglyRejected = new List<string>();
        foreach (var f in rejected)
        {
            var (exit, _) = Peers.Run(root, ["-I.", "--descriptor_set_out=" + outFile, f]);
            if (exit == 0)
            {
                wronglyRejected.Add(f);
            }
        }

        var byName = expected!.File.ToDictionary(f => f.Name, StringComparer.Ordinal);

        // A file rejected in the batch may be fine alone (protoc's pool then holds unrelated files
        // that clash with it); compare those one by one.
        foreach (var f in protocRejects.ToList())
        {
            var (exit, _) = Peers.Run(root, includeSourceInfo ? ["--include_source_info", "-I.", "--descriptor_set_out=" + outFile, f] : ["-I.", "--descriptor_set_out=" + outFile, f]);
            if (exit == 0)
            {
                var alone = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(outFile));
                byName[f] = alone.File[^1];
                batch.Add(f);
                protocRejects.Remove(f);
            }
        }
        var identical = 0;
        var diffs = new List<string>();
        foreach (var f in batch)
        {
            var mine = kiln[f]!.ToDescriptorProto(includeSourceInfo);
            if (DescriptorDiff.Compare(byName[f], mine) is { } diff)
            {
                diffs.Add(diff);
            }
            else
            {
                identical++;
            }
        }

        // protoc's "Import X is unused." warnings for the files it compiled (its order is a hash
        // set's, so they are compared as sets).
        var kilnUnusedImports = UnusedImportLines(batch.SelectMany(f => kiln[f]!.UnusedImportWarnings).Select(d => d.ToProtocFormat()));
        Assert.Equal(protocUnusedImports, kilnUnusedImports);
        Assert.True(Full || protocUnusedImports.Count > 10, $"the sample should exercise unused imports; protoc reported {protocUnusedImports.Count}");

        File.Delete(outFile);
        File.Delete(list);
        var total = selected.Count;
        output.WriteLine($"corpus ({(Full ? "full" : "sample 1/8")}, source info: {includeSourceInfo}): {identical}/{total} identical; " +
                         $"Kiln rejects {rejected.Count} ({wronglyRejected.Count} that protoc accepts); protoc rejects {protocRejects.Count} that Kiln accepts; " +
                         $"Kiln {kilnTime.TotalSeconds:F1} s, protoc {protocTime.TotalSeconds:F1} s");
        foreach (var f in wronglyRejected.Take(5))
        {
            output.WriteLine($"Kiln rejects {f}: " + string.Join(" | ", kiln[f]?.Diagnostics.Where(d => d.IsError).Take(3).Select(d => d.ToProtocFormat()) ?? ["not found"]));
        }

        foreach (var f in protocRejects.Take(5))
        {
            output.WriteLine($"protoc rejects, Kiln accepts: {f}");
        }

        foreach (var d in diffs.Take(5))
        {
            output.WriteLine(d);
        }

        Assert.Empty(protocRejects);
        Assert.True(identical >= floor * (total - rejected.Count + wronglyRejected.Count),
            $"{identical}/{total} identical, below the floor {floor:P0}; first differences:\n" + string.Join("\n", diffs.Take(5)));
    }
}
