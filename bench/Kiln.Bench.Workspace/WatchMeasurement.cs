using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kiln.Bench.Workspace;

/// <summary>
/// The <c>measure-watch</c> command: starts <c>kiln watch DIR</c>, waits for its ready line
/// (<c>watching ...</c>), then makes N edits, alternating a comment-only edit of a top-layer
/// (leaf) file and a field added to the first message of a middle-layer file, and times each from
/// the write to the moment the edited file's own C# output holds the change on disk (polled every
/// 0.5 ms). Every edit starts from the file's original text, so each write differs from the last.
/// At the end the files are restored, the watcher is given time to rebuild, and it is killed.
/// </summary>
internal static partial class WatchMeasurement
{
    public static int Run(Arguments arguments)
    {
        var dir = Path.GetFullPath(arguments.Required("dir"));
        var kiln = Path.GetFullPath(arguments.Required("kiln"));
        var edits = int.Parse(arguments.Optional("edits") ?? "20", CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(int.Parse(arguments.Optional("timeout-seconds") ?? "600", CultureInfo.InvariantCulture));

        var workspace = Workspace.Load(dir);
        var leaf = workspace.FileInLayer(top: true);
        var mid = workspace.FileInLayer(top: false);
        Console.WriteLine($"leaf (comment edits): {Path.GetRelativePath(dir, leaf)}; mid-layer (field edits): {Path.GetRelativePath(dir, mid)}");

        var originals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [leaf] = File.ReadAllText(leaf),
            [mid] = File.ReadAllText(mid),
        };

        using var watcher = new WatcherProcess(kiln, dir);
        var started = Stopwatch.StartNew();
        if (!watcher.WaitForLine(l => l.StartsWith("watching", StringComparison.Ordinal), timeout, out var ready))
        {
            Console.Error.WriteLine($"kiln watch printed no 'watching' line within {timeout.TotalSeconds} s; its output:");
            Console.Error.WriteLine(watcher.Transcript());
            return 1;
        }

        Console.WriteLine($"ready after {started.Elapsed.TotalSeconds:F2} s: {ready}");
        var leafOutput = workspace.OutputFor(leaf, timeout);
        var midOutput = workspace.OutputFor(mid, timeout);
        if (leafOutput is null || midOutput is null)
        {
            Console.Error.WriteLine($"the outputs of {leaf} or {mid} did not appear under {workspace.OutputRoot}");
            return 1;
        }

        var comment = new List<double>();
        var field = new List<double>();
        var failures = 0;
        try
        {
            for (var k = 0; k < edits; k++)
            {
                var isComment = k % 2 == 0;
                var file = isComment ? leaf : mid;
                var output = isComment ? leafOutput : midOutput;
                var (text, expected) = isComment
                    ? workspace.CommentEdit(originals[file], k)
                    : workspace.FieldEdit(originals[file], k);
                var linesBefore = watcher.LineCount;
                var before = Snapshot(output);
                var clock = Stopwatch.StartNew();
                File.WriteAllText(file, text);
                var ms = WaitForContent(output, before, expected, TimeSpan.FromSeconds(60), clock);
                if (ms is null)
                {
                    failures++;
                    Console.WriteLine($"  edit {k} ({(isComment ? "comment" : "field")}): output did not show '{expected}' within 60 s");
                }
                else
                {
                    (isComment ? comment : field).Add(ms.Value);
                    Console.WriteLine($"  edit {k,2} {(isComment ? "comment" : "field  ")} {ms.Value,8:F1} ms");
                }

                // Let the watcher finish this rebuild (its line, then a quiet spell) before the next edit.
                watcher.WaitForQuiet(linesBefore, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            foreach (var (file, text) in originals)
            {
                File.WriteAllText(file, text);
            }

            var restored = Stopwatch.StartNew();
            while (restored.Elapsed < TimeSpan.FromSeconds(30) &&
                   (File.ReadAllText(leafOutput).Contains("watch-edit-", StringComparison.Ordinal) ||
                    Regex.IsMatch(File.ReadAllText(midOutput), "bench_?edit_?", RegexOptions.IgnoreCase)))
            {
                Thread.Sleep(10);
            }

            var peak = watcher.PeakRssMegabytes();
            watcher.Stop();
            Console.WriteLine($"watcher peak RSS {peak} MB; its last lines:");
            Console.WriteLine(watcher.Transcript(8));
        }

        var all = comment.Concat(field).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"comment edits: p50 {Percentile(comment, 50):F1} ms, p95 {Percentile(comment, 95):F1} ms ({comment.Count}); " +
            $"field edits: p50 {Percentile(field, 50):F1} ms, p95 {Percentile(field, 95):F1} ms ({field.Count}); failures {failures}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"watch-summary p50_ms={Percentile(all, 50):F1} p95_ms={Percentile(all, 95):F1} comment_p50_ms={Percentile(comment, 50):F1} field_p50_ms={Percentile(field, 50):F1} edits={all.Count} failures={failures} rss_mb={watcher.LastPeakRss}"));
        return failures == 0 ? 0 : 1;
    }

    private static double Percentile(List<double> values, int percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        // Nearest rank.
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static (DateTime, long) Snapshot(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    /// <summary>Polls <paramref name="path"/> until it holds <paramref name="expected"/>; milliseconds since the write, or null.</summary>
    private static double? WaitForContent(string path, (DateTime, long) before, string expected, TimeSpan limit, Stopwatch clock)
    {
        var seen = before;
        while (clock.Elapsed < limit)
        {
            var now = Snapshot(path);
            if (now != seen)
            {
                seen = now;
                try
                {
                    if (File.ReadAllText(path).Contains(expected, StringComparison.Ordinal))
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (IOException)
                {
                    // Replaced while read: look again.
                    seen = default;
                }
            }

            PauseHalfMillisecond();
        }

        return null;
    }

    private static void PauseHalfMillisecond()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = USleep(500);
        }
        else
        {
            Thread.Sleep(1);
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    /// <summary>The workspace's kiln.json and IDL files, as the generator lays them out.</summary>
    private sealed partial class Workspace
    {
        private Workspace(string dir, Lang lang, string idlRoot, string outputRoot)
        {
            Dir = dir;
            Lang = lang;
            IdlRoot = idlRoot;
            OutputRoot = outputRoot;
        }

        public string Dir { get; }

        public Lang Lang { get; }

        public string IdlRoot { get; }

        public string OutputRoot { get; }

        public static Workspace Load(string dir)
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "kiln.json")), options);
            var root = json.RootElement;
            if (root.TryGetProperty("protobuf", out var protobuf))
            {
                return new Workspace(dir, Lang.Proto,
                    Path.Combine(dir, protobuf.GetProperty("importPaths")[0].GetString()!),
                    Path.Combine(dir, protobuf.GetProperty("csharp").GetProperty("out").GetString()!));
            }

            var thrift = root.GetProperty("thrift");
            return new Workspace(dir, Lang.Thrift,
                Path.Combine(dir, thrift.GetProperty("includePaths")[0].GetString()!),
                Path.Combine(dir, thrift.GetProperty("netstd").GetProperty("out").GetString()!));
        }

        /// <summary>The first file (by path) of the top layer, or of the middle one.</summary>
        public string FileInLayer(bool top)
        {
            var files = Directory.GetFiles(IdlRoot, Lang == Lang.Proto ? "*.proto" : "*.thrift", SearchOption.AllDirectories)
                .Select(f => (File: f, Layer: LayerOf(f)))
                .Where(f => f.Layer > 0)
                .ToList();
            var maxLayer = files.Max(f => f.Layer);
            var layer = top ? maxLayer : Math.Max(1, maxLayer / 2);
            return files.Where(f => f.Layer == layer).Select(f => f.File).Order(StringComparer.Ordinal).First();
        }

        private static int LayerOf(string path)
        {
            var match = LayerFolder().Match(Path.GetFileName(Path.GetDirectoryName(path)!) ?? "");
            return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }

        /// <summary>The C# file that holds the first message (Protobuf: the file's class; Thrift: the struct's).</summary>
        public string? OutputFor(string idlFile, TimeSpan timeout)
        {
            var name = Lang == Lang.Proto
                ? Naming.ProtocCSharpFileName(Path.GetFileNameWithoutExtension(idlFile)) + ".cs"
                : FirstStruct().Match(File.ReadAllText(idlFile)).Groups[1].Value + ".cs";
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Directory.Exists(OutputRoot))
                {
                    var found = Directory.GetFiles(OutputRoot, name, SearchOption.AllDirectories);
                    if (found.Length > 0)
                    {
                        return found[0];
                    }
                }

                Thread.Sleep(50);
            }

            return null;
        }

        /// <summary>A line added to the comment of the first top-level message; returns the text to expect in the output.</summary>
        public (string Text, string Expected) CommentEdit(string original, int k)
        {
            var marker = $"watch-edit-{k.ToString("D4", CultureInfo.InvariantCulture)}";
            if (Lang == Lang.Proto)
            {
                var at = FirstMessageLine().Match(original).Index;
                return (original.Insert(at, $"// Edited: {marker}.\n"), marker);
            }

            var start = FirstStruct().Match(original).Index;
            var close = original.LastIndexOf(" */\n", start, StringComparison.Ordinal);
            return (original.Insert(close, $" * Edited: {marker}.\n"), marker);
        }

        /// <summary>A field added at the end of the first top-level message; returns the text to expect in the output.</summary>
        public (string Text, string Expected) FieldEdit(string original, int k)
        {
            var number = 900 + (k % 100);
            var name = $"bench_edit_{k.ToString("D4", CultureInfo.InvariantCulture)}";
            if (Lang == Lang.Proto)
            {
                var start = FirstMessageLine().Match(original).Index;
                var end = original.IndexOf("\n}\n", start, StringComparison.Ordinal) + 1;
                var label = original.Contains("syntax = \"proto2\"", StringComparison.Ordinal) ? "optional " : "";
                var line = $"  // Added by measure-watch.\n  {label}string {name} = {number.ToString(CultureInfo.InvariantCulture)};\n";
                return (original.Insert(end, line), $"BenchEdit{k.ToString("D4", CultureInfo.InvariantCulture)}");
            }

            var structStart = FirstStruct().Match(original).Index;
            var structEnd = original.IndexOf("\n}\n", structStart, StringComparison.Ordinal) + 1;
            return (original.Insert(structEnd, $"  {number.ToString(CultureInfo.InvariantCulture)}: optional string {name}\n"), $"\"{name}\"");
        }

        [GeneratedRegex(@"^l(\d+)$")]
        private static partial Regex LayerFolder();

        [GeneratedRegex(@"^message \w+ \{", RegexOptions.Multiline)]
        private static partial Regex FirstMessageLine();

        [GeneratedRegex(@"^struct (\w+) \{", RegexOptions.Multiline)]
        private static partial Regex FirstStruct();
    }

    /// <summary>A running <c>kiln watch</c> with its output lines collected as they come.</summary>
    private sealed class WatcherProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly SemaphoreSlim _signal = new(0);

        public WatcherProcess(string kiln, string dir)
        {
            var start = new ProcessStartInfo(kiln)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("watch");
            start.ArgumentList.Add(dir);
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int LineCount => _lines.Count;

        public long LastPeakRss { get; private set; }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Enqueue((_clock.Elapsed, line));
                _signal.Release();
            }
        }

        public bool WaitForLine(Func<string, bool> match, TimeSpan timeout, out string line)
        {
            var clock = Stopwatch.StartNew();
            var checkedCount = 0;
            while (clock.Elapsed < timeout)
            {
                var lines = _lines.ToArray();
                for (; checkedCount < lines.Length; checkedCount++)
                {
                    if (match(lines[checkedCount].Line))
                    {
                        line = lines[checkedCount].Line;
                        return true;
                    }
                }

                if (_process.HasExited)
                {
                    break;
                }

                _signal.Wait(TimeSpan.FromMilliseconds(100));
            }

            line = "";
            return false;
        }

        /// <summary>Waits for a line after <paramref name="after"/> lines, then for <paramref name="quiet"/> without one.</summary>
        public void WaitForQuiet(int after, TimeSpan quiet, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (_lines.Count <= after && clock.Elapsed < limit && !_process.HasExited)
            {
                _signal.Wait(TimeSpan.FromMilliseconds(20));
            }

            var last = _lines.Count;
            var quietClock = Stopwatch.StartNew();
            while (quietClock.Elapsed < quiet && clock.Elapsed < limit)
            {
                _signal.Wait(TimeSpan.FromMilliseconds(20));
                if (_lines.Count != last)
                {
                    last = _lines.Count;
                    quietClock.Restart();
                }
            }
        }

        /// <summary>The watcher's peak resident set (VmHWM), in MB; 0 where /proc is missing.</summary>
        public long PeakRssMegabytes()
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        LastPeakRss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
                    }
                }
            }
            catch (IOException)
            {
            }

            return LastPeakRss;
        }

        public string Transcript(int last = int.MaxValue)
        {
            var lines = _lines.ToArray();
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - last)).Select(l => $"  [{l.At.TotalSeconds,8:F3} s] {l.Line}"));
        }

        public void Stop()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
            _signal.Dispose();
        }
    }
}
