using System.Diagnostics;
using System.Text;
using Google.Protobuf.Reflection;
using Kiln.Build;
using Kiln.CSharp.Protobuf.Tests.Corpus;

namespace Kiln.CSharp.Protobuf.Tests.Grpc;

/// <summary>
/// The reference binaries (protoc and grpc_csharp_plugin from Grpc.Tools 2.85) and google-proto-files,
/// where scripts/peers/protobuf.sh puts them (or KILN_CACHE / KILN_PROTOC / KILN_PROTO_CORPUS).
/// </summary>
internal static class GrpcPeers
{
    public static string Cache => CorpusPeers.Cache;

    public static string Protoc => CorpusPeers.Protoc;

    public static string Plugin => Path.Combine(Path.GetDirectoryName(Protoc)!, "grpc_csharp_plugin");

    /// <summary>The well-known types shipped with Grpc.Tools.</summary>
    public static string WellKnownTypes => CorpusPeers.Include;

    public static string Corpus => CorpusPeers.Corpus;

    /// <summary>Where reference outputs of the plugin are cached between runs.</summary>
    public static string ReferenceCache => Path.Combine(Cache, "reference", "grpc-2.85.0");

    public static string TestData => Path.Combine(AppContext.BaseDirectory, "TestData", "Grpc");

    public static void Require()
    {
        Assert.True(File.Exists(Protoc), $"protoc not found at {Protoc}: run scripts/setup-peers.sh");
        Assert.True(File.Exists(Plugin), $"grpc_csharp_plugin not found at {Plugin}: run scripts/setup-peers.sh");
    }

    public static void RequireCorpus()
    {
        Require();
        Assert.True(Directory.Exists(Path.Combine(Corpus, "google")), $"google-proto-files not found at {Corpus}: run scripts/setup-peers.sh");
    }

    /// <summary>Runs protoc in <paramref name="workingDirectory"/>; the exit code and what it printed on stderr.</summary>
    public static (int ExitCode, string StdErr) RunProtoc(string workingDirectory, IEnumerable<string> args) => CorpusPeers.RunProtoc(workingDirectory, args);

    /// <summary>
    /// The real plugin over <paramref name="inputs"/> (absolute paths under one of <paramref name="includes"/>):
    /// each written file by its relative path (<c>/</c>-separated), or the exit code and stderr on failure.
    /// </summary>
    public static (Dictionary<string, string>? Files, string StdErr) RunPlugin(IReadOnlyList<string> includes, IReadOnlyList<string> inputs, string parameter)
    {
        var output = Directory.CreateTempSubdirectory("kiln-grpc-ref-").FullName;
        try
        {
            var args = new List<string> { "--plugin=protoc-gen-grpc=" + Plugin, "--grpc_out=" + output };
            if (parameter.Length > 0)
            {
                args.Add("--grpc_opt=" + parameter);
            }

            foreach (var include in includes)
            {
                args.Add("-I" + include);
            }

            string? list = null;
            if (inputs.Count > 50)
            {
                list = Path.Combine(output, "..", Path.GetFileName(output) + ".args");
                File.WriteAllLines(list, inputs);
                args.Add("@" + list);
            }
            else
            {
                args.AddRange(inputs);
            }

            var (exit, stderr) = RunProtoc(output, args);
            if (list != null)
            {
                File.Delete(list);
            }

            if (exit != 0)
            {
                return (null, stderr);
            }

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in Directory.GetFiles(output, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(output, f).Replace('\\', '/')] = File.ReadAllText(f, Encoding.UTF8);
            }

            return (files, stderr);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

/// <summary>Kiln's side: descriptors through Kiln's own protoc driver, then the C# gRPC generator.</summary>
internal static class KilnGrpc
{
    /// <summary>
    /// Compiles <paramref name="inputs"/> in-process with <c>kiln protoc</c>'s driver (imports and source
    /// info included) and indexes the linked files.
    /// </summary>
    public static ProtoTypeIndex Compile(IReadOnlyList<string> includes, IReadOnlyList<string> inputs)
    {
        var setPath = Path.Combine(Path.GetTempPath(), $"kiln-grpc-{Environment.ProcessId}-{Guid.NewGuid():N}.pb");
        try
        {
            var args = new List<string> { "--descriptor_set_out=" + setPath, "--include_imports", "--include_source_info" };
            foreach (var include in includes)
            {
                args.Add("-I" + include);
            }

            args.AddRange(inputs);
            var request = ProtocArguments.Parse(args, out var error);
            Assert.True(request != null, error);
            var result = ProtocRun.Run(request!);
            Assert.True(result.Outcome == ProtocOutcome.Success, "kiln protoc failed:\n" + string.Join("\n", result.Messages));
            var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(setPath));
            return new ProtoTypeIndex(set.File);
        }
        finally
        {
            File.Delete(setPath);
        }
    }
}

/// <summary>Short, line-numbered descriptions of where two texts part.</summary>
internal static class TextDiff
{
    /// <summary>Null when equal; else the first differing lines (1-based numbers) with a little context.</summary>
    public static string? Describe(string expected, string actual, int context = 2, int shown = 3)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return null;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var first = 0;
        while (first < e.Length && first < a.Length && string.Equals(e[first], a[first], StringComparison.Ordinal))
        {
            first++;
        }

        var text = new StringBuilder();
        text.Append($"first difference at line {first + 1} (expected {e.Length} lines, actual {a.Length})\n");
        for (var i = Math.Max(0, first - context); i < first; i++)
        {
            text.Append($"  {i + 1,5}   {e[i]}\n");
        }

        for (var i = first; i < Math.Min(e.Length, first + shown); i++)
        {
            text.Append($"- {i + 1,5}   {Visible(e[i])}\n");
        }

        for (var i = first; i < Math.Min(a.Length, first + shown); i++)
        {
            text.Append($"+ {i + 1,5}   {Visible(a[i])}\n");
        }

        return text.ToString();
    }

    private static string Visible(string line) => line.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}

/// <summary>Compares the plugin's files with Kiln's for a set of inputs.</summary>
internal static class GrpcComparison
{
    /// <summary>Null when both sides wrote the same files with the same text; else what differs.</summary>
    public static string? Describe(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        var problems = new StringBuilder();
        foreach (var (path, text) in expected.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(path, out var mine))
            {
                problems.Append($"{path}: written by the plugin, not by Kiln\n");
            }
            else if (TextDiff.Describe(text, mine) is { } diff)
            {
                problems.Append($"{path}: {diff}");
            }
        }

        foreach (var path in actual.Keys.Order(StringComparer.Ordinal))
        {
            if (!expected.ContainsKey(path))
            {
                problems.Append($"{path}: written by Kiln, not by the plugin\n");
            }
        }

        return problems.Length == 0 ? null : problems.ToString();
    }
}
