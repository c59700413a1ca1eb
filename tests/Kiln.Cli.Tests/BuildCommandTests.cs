using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln build</c>, <c>kiln watch</c> and <c>kiln init</c> from the command line: messages, exit codes, files written.</summary>
public sealed class BuildCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kiln-build-tests", Guid.NewGuid().ToString("N"));

    public BuildCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a killed kiln may still be letting go of a file
        }
    }

    private const string Config = """
        {
          "protobuf": {
            "inputs": ["protos/**/*.proto"],
            "importPaths": ["protos"],
            "csharp": { "out": "gen", "options": "" },
            "grpc": { "out": "gen", "options": "" }
          }
        }
        """;

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private void WriteWorkspace()
    {
        Write("kiln.json", Config);
        Write("protos/a/common.proto", "syntax = \"proto3\";\npackage a;\n// A point.\nmessage Point { int32 x = 1; }\n");
        Write("protos/a/shape.proto", "syntax = \"proto3\";\npackage a;\nimport \"a/common.proto\";\nmessage Shape { repeated Point points = 1; }\nservice Shapes { rpc Get(Shape) returns (Shape); }\n");
    }

    [Theory]
    [InlineData("build", new[] { "--verbosity", "--diagnostics-format", "--no-cache", "--timings", "--trace", "--metrics", "kiln.json" })]
    [InlineData("watch", new[] { "--verbosity", "--diagnostics-format", "--no-cache", "--debounce", "Ctrl+C" })]
    [InlineData("init", new[] { "--force", "kiln.json" })]
    public void Help_explains_every_option(string command, string[] expected)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.Equal(ExitCodes.Success, code);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_writes_outputs_then_finds_itself_up_to_date()
    {
        WriteWorkspace();
        var (code, output, error) = Run("build", _dir);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", error);
        Assert.Contains("3 outputs written", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "gen", "ShapeGrpc.cs")));
        (code, output, _) = Run("build", _dir);
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith("kiln: up to date (2 inputs, 3 outputs)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idl_error_is_an_msbuild_line_and_exit_code_one()
    {
        WriteWorkspace();
        Write("protos/a/shape.proto", "syntax = \"proto3\";\npackage a;\nmessage Shape {\n  Missing m = 1;\n}\n");
        var (code, _, error) = Run("build", _dir);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Matches(@"shape\.proto\(4,3\): error KPB\d{4}: .*Missing", error);
    }

    [Fact]
    public void Json_diagnostics_are_one_object_per_line()
    {
        WriteWorkspace();
        Write("protos/a/shape.proto", "syntax = \"proto3\";\npackage a;\nmessage Shape {\n  Missing m = 1;\n}\n");
        var (code, _, error) = Run("build", _dir, "--diagnostics-format", "json", "-v", "quiet");
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("error", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("line").GetInt32());
        Assert.StartsWith("KPB", json.RootElement.GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_kiln_json_is_a_usage_error_at_its_position()
    {
        Write("kiln.json", "{\n  \"protobuf\": { \"csharp\": { \"options\": \"\" } }\n}\n");
        var (code, _, error) = Run("build", _dir);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Matches(@"kiln\.json\(2,\d+\): error KLN0007: a generator needs ""out""", error);
    }

    [Fact]
    public void A_bad_generator_option_is_a_usage_error()
    {
        WriteWorkspace();
        Write("kiln.json", Config.Replace("\"csharp\": { \"out\": \"gen\", \"options\": \"\" }", "\"csharp\": { \"out\": \"gen\", \"options\": \"frobnicate\" }", StringComparison.Ordinal));
        var (code, _, error) = Run("build", _dir);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("protobuf.csharp.options", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_workspace_is_an_io_error()
    {
        var (code, _, error) = Run("build", Path.Combine(_dir, "absent"));
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("KLN0002", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_metrics_and_timings_are_written()
    {
        WriteWorkspace();
        var trace = Path.Combine(_dir, "trace.json");
        var metrics = Path.Combine(_dir, "metrics.prom");
        var (code, output, _) = Run("build", _dir, "--timings", "--trace", trace, "--metrics", metrics, "--no-cache");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("protobuf: link", output, StringComparison.Ordinal);
        Assert.Contains("linkProto", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(trace));
        var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("name").GetString() == "a/shape.proto" && e.GetProperty("ph").GetString() == "X");
        var text = File.ReadAllText(metrics);
        Assert.Contains("# TYPE kiln_build_duration_seconds gauge", text, StringComparison.Ordinal);
        Assert.Contains("kiln_cache_hit_ratio 0", text, StringComparison.Ordinal);
        Assert.Contains("kiln_query_executions_total{query=\"linkProto\"} 2", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, ".kiln", "cache")));
    }

    [Fact]
    public void Init_writes_a_starter_file_once()
    {
        var (code, output, _) = Run("init", _dir);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("kiln.json", output, StringComparison.Ordinal);
        Assert.Contains("// ", File.ReadAllText(Path.Combine(_dir, "kiln.json")), StringComparison.Ordinal);
        (code, _, var error) = Run("init", _dir);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("--force", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_rewrites_the_edited_files_output_and_says_so()
    {
        WriteWorkspace();
        using var kiln = Start("watch", _dir, "--debounce", "5");
        var lines = new LineReader(kiln.Process);
        Assert.StartsWith("watching 2 files", lines.WaitFor(l => l.StartsWith("watching", StringComparison.Ordinal)), StringComparison.Ordinal);
        var common = Path.Combine(_dir, "gen", "Common.cs");
        var shapeTime = File.GetLastWriteTimeUtc(Path.Combine(_dir, "gen", "Shape.cs"));
        Write("protos/a/common.proto", "syntax = \"proto3\";\npackage a;\n// A point, edited.\nmessage Point { int32 x = 1; }\n");
        var rebuilt = lines.WaitFor(l => l.StartsWith("kiln: rebuilt", StringComparison.Ordinal));
        Assert.Contains("1 outputs written", rebuilt, StringComparison.Ordinal);
        Assert.Contains("A point, edited.", File.ReadAllText(common), StringComparison.Ordinal);
        Assert.Equal(shapeTime, File.GetLastWriteTimeUtc(Path.Combine(_dir, "gen", "Shape.cs")));

        // An error while watching is reported, and watching goes on.
        Write("protos/a/shape.proto", "syntax = \"proto3\";\npackage a;\nmessage Shape { Nope n = 1; }\n");
        // (Diagnostics go to stderr and the summary to stdout: their lines may arrive in either order.)
        Assert.Matches(@"shape\.proto.*error KPB\d{4}", lines.WaitFor(l => Regex.IsMatch(l, @"error KPB\d{4}")));
        Write("protos/a/shape.proto", "syntax = \"proto3\";\npackage a;\nmessage Shape { int32 n = 1; }\n");
        Assert.Contains("1 deleted", lines.WaitFor(l => l.StartsWith("kiln: rebuilt", StringComparison.Ordinal) && l.Contains("deleted", StringComparison.Ordinal) && !l.Contains(" 0 deleted", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "gen", "ShapeGrpc.cs")));
    }

    /// <summary>
    /// A build killed with SIGKILL at random moments, again and again: every output on disk is
    /// always whole (equal to a clean build's), and the build that finally completes (trusting
    /// whatever the killed ones left in the cache and state) produces exactly the clean outputs.
    /// </summary>
    [Fact]
    public void Builds_killed_at_random_points_never_leave_a_truncated_output_or_a_trusted_bad_entry()
    {
        var reference = Path.Combine(_dir, "reference");
        var workspace = Path.Combine(_dir, "killed");
        foreach (var root in new[] { reference, workspace })
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(root).FullName, "kiln.json"), Config);
            WriteSyntheticProtos(root, files: 120);
        }

        var (code, _, error) = Run("build", reference, "--no-cache");
        Assert.True(code == ExitCodes.Success, error);
        var expected = Outputs(reference);
        Assert.Equal(120, expected.Count);

        var random = new Random(12345);
        var sawPartial = 0;
        for (var round = 0; round < 14; round++)
        {
            // Outputs, then also the cache, taken away in some rounds, so that kills land in builds
            // that write outputs and in builds that generate and store cache entries.
            if (round % 3 == 0 && Directory.Exists(Path.Combine(workspace, "gen")))
            {
                Directory.Delete(Path.Combine(workspace, "gen"), recursive: true);
            }

            if (round % 6 == 1 && Directory.Exists(Path.Combine(workspace, ".kiln")))
            {
                Directory.Delete(Path.Combine(workspace, ".kiln"), recursive: true);
            }

            using (var kiln = Start("build", workspace, "-v", "quiet"))
            {
                Thread.Sleep(random.Next(0, 900));
                kiln.Process.Kill(entireProcessTree: true);
                kiln.Process.WaitForExit();
            }

            var found = Outputs(workspace);
            sawPartial += found.Count < expected.Count ? 1 : 0;
            foreach (var (path, bytes) in found)
            {
                Assert.True(expected.TryGetValue(path, out var want), $"unexpected output {path}");
                Assert.True(want.AsSpan().SequenceEqual(bytes), $"round {round}: {path} is not whole");
            }
        }

        (code, _, error) = Run("build", workspace);
        Assert.True(code == ExitCodes.Success, error);
        var final = Outputs(workspace);
        Assert.Equal(expected.Keys.Order(), final.Keys.Order());
        foreach (var (path, bytes) in final)
        {
            Assert.True(expected[path].AsSpan().SequenceEqual(bytes), path);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(workspace, "gen"), "*.tmp", SearchOption.AllDirectories));
        Assert.True(sawPartial > 0, "no kill landed during a build: the test did not test anything");
    }

    private static void WriteSyntheticProtos(string root, int files)
    {
        for (var i = 0; i < files; i++)
        {
            var text = new System.Text.StringBuilder();
            text.Append("syntax = \"proto3\";\npackage syn.p").Append(i).Append(";\n");
            if (i > 0)
            {
                text.Append("import \"syn/f").Append(i - 1).Append(".proto\";\n");
            }

            for (var m = 0; m < 30; m++)
            {
                text.Append("// Message ").Append(m).Append(" of file ").Append(i).Append(".\nmessage M").Append(m).Append(" {\n");
                for (var f = 1; f <= 12; f++)
                {
                    text.Append("  string field_").Append(f).Append(" = ").Append(f).Append(";\n");
                }

                if (i > 0)
                {
                    text.Append("  syn.p").Append(i - 1).Append(".M").Append(m).Append(" previous = 20;\n");
                }

                text.Append("}\n");
            }

            var path = Path.Combine(root, "protos", "syn", $"f{i}.proto");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.ToString());
        }
    }

    private static Dictionary<string, byte[]> Outputs(string root)
    {
        var gen = Path.Combine(root, "gen");
        return Directory.Exists(gen)
            ? Directory.EnumerateFiles(gen, "*.cs", SearchOption.AllDirectories).ToDictionary(p => Path.GetRelativePath(gen, p), File.ReadAllBytes)
            : [];
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KilnCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static KilnProcess Start(params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "kiln.exe" : "kiln");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new KilnProcess(Process.Start(info)!);
    }

    private sealed class KilnProcess(Process process) : IDisposable
    {
        public Process Process => process;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    /// <summary>Lines of a process's stdout and stderr as they come, with a wait for one that matches.</summary>
    private sealed class LineReader
    {
        private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = [];

        public LineReader(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Add(line);
            }
        }

        public string WaitFor(Func<string, bool> match)
        {
            var seen = new List<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(200)))
                {
                    seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }

            throw new TimeoutException("no matching line; saw:\n" + string.Join("\n", seen));
        }
    }
}
