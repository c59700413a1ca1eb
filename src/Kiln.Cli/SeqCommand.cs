using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kiln.Build;
using Kiln.Sequencing;
using Kiln.Sequencing.Language;
using Kiln.Sequencing.Output;
using Kiln.Sequencing.Timeline;
using Kiln.Text;

namespace Kiln.Cli;

/// <summary>
/// <c>kiln seq</c>: reads a sequence file (<c>docs/sequencing-format.md</c>), compiles it (or every
/// point of its scan), writes the events as CSV or JSON and an SVG timeline, and reports every
/// problem as <c>path(line,col): error KSQxxxx: message</c>.
/// </summary>
internal static class SeqCommand
{
    private sealed record Settings(
        string File,
        string? Output,
        string Format,
        string? Svg,
        string? From,
        string? To,
        bool Compress,
        string? CompressThreshold,
        bool Scan,
        bool Stats);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE") { Description = "The sequence file (.seq; the format is described in docs/sequencing-format.md)." };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the events to OUT ('-' for standard output). With --scan, one file per point: OUT with .point-0003 before its extension.",
            HelpName = "OUT",
        };
        var format = new Option<string?>("--format")
        {
            Description = "csv (time,time_s,channel,name,opcode,payload,duration,source; the default) or json. Without it, taken from OUT's extension.",
            HelpName = "csv|json",
        };
        format.AcceptOnlyFromAmong("csv", "json");
        var svg = new Option<string?>("--svg")
        {
            Description = "Write an SVG timeline: one row per channel grouped by board, events as marks, durations as bars to scale. With --scan, one picture per point.",
            HelpName = "SVG",
        };
        var from = new Option<string?>("--from") { Description = "Start the timeline at time T (10us, 1.5ms, 400cycles).", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "End the timeline at time T.", HelpName = "T" };
        var compress = new Option<string?>("--compress-gaps")
        {
            Description = "Draw every idle stretch (no event starts, no operation runs) longer than T as a short marked break. Without T: 1/20 of the time shown.",
            HelpName = "T",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var scan = new Option<bool>("--scan") { Description = "Compile every point of the file's scan (incrementally: a point that only changes payloads costs the re-encoding) and print one line per point with its compile time." };
        var stats = new Option<bool>("--stats") { Description = "Print statistics: nodes, events, channels, time spent binding and compiling, the compiler's cache." };

        var command = new Command("seq", """
            Compile a timing-sequence file to events (CSV or JSON) and an SVG timeline.
            The file (docs/sequencing-format.md) has 'clock 250MHz', 'let cool = B0:TTL:0', 'param amp = 0.5',
            'seq pulse(ch, t) = on(ch) >> wait(t) >> off(ch)' (>> serial, | parallel, serial { } and parallel { } blocks,
            atomic(ch, duration, opcode, payload) with payloads such as hex"01ff" ++ f32(amp)), 'main = ...' and
            'scan product(amp = [0.1, 0.2], t = linspace(1us, 4us, 4))' (or zip). Errors print as file(line,col): error KSQxxxx.
            Exit codes: 0 success, 1 errors in the file or a scan point, 2 usage or I/O errors.
            """)
        {
            file, output, format, svg, from, to, compress, scan, stats,
        };
        command.SetAction(parse =>
        {
            var compressResult = parse.GetResult(compress);
            var settings = new Settings(
                parse.GetValue(file)!,
                parse.GetValue(output),
                parse.GetValue(format) ?? FormatFromExtension(parse.GetValue(output)),
                parse.GetValue(svg),
                parse.GetValue(from),
                parse.GetValue(to),
                compressResult is not null,
                compressResult is not null ? parse.GetValue(compress) : null,
                parse.GetValue(scan),
                parse.GetValue(stats));
            return Run(settings, stdout, stderr);
        });
        return command;
    }

    private static string FormatFromExtension(string? output) =>
        output is not null && output.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "csv";

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine($"kiln seq: error KLN0001: {message}");
        return ExitCodes.UsageOrIOError;
    }

    private static int Run(Settings settings, TextWriter stdout, TextWriter stderr)
    {
        if (settings.Svg is null && (settings.From is not null || settings.To is not null || settings.Compress))
        {
            return Usage(stderr, "--from, --to and --compress-gaps shape the timeline: give --svg FILE too.");
        }

        if (settings.Scan && settings.Output == "-")
        {
            return Usage(stderr, "--scan writes one events file per point: give -o a file name, not '-'.");
        }

        string text;
        try
        {
            text = TextFile.ReadAllText(settings.File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"kiln seq: error KLN0002: cannot read {settings.File}: {e.Message}");
            return ExitCodes.UsageOrIOError;
        }

        var bindWatch = Stopwatch.StartNew();
        var program = SequenceLanguage.Bind(new SourceText(settings.File, text));
        bindWatch.Stop();
        // Warnings go to standard output, unless the events do.
        Print(program.Diagnostics, settings.Output == "-" ? stderr : stdout, stderr);
        if (program.HasErrors || program.Main is not { } main)
        {
            return ExitCodes.DiagnosticErrors;
        }

        var clock = program.Arena.Clock;
        ulong? fromCycles = null, toCycles = null, threshold = null;
        try
        {
            fromCycles = settings.From is null ? null : clock.Parse(settings.From);
            toCycles = settings.To is null ? null : clock.Parse(settings.To);
            threshold = settings.CompressThreshold is null ? null : clock.Parse(settings.CompressThreshold);
        }
        catch (SequenceException e)
        {
            return Usage(stderr, $"{e.Detail} (--from, --to and --compress-gaps take times at the file's clock of {clock.Hz} Hz)");
        }

        if (fromCycles is { } f && toCycles is { } t && t <= f)
        {
            return Usage(stderr, "--to must be later than --from.");
        }

        if (settings.Scan && program.ScanPoints is null)
        {
            return Usage(stderr, $"--scan: {settings.File} has no 'scan' statement.");
        }

        var compiler = new IncrementalCompiler(program.Arena);
        var outputs = new Outputs(settings, program, fromCycles, toCycles, threshold, stdout);
        var compileTime = TimeSpan.Zero;
        var failed = false;
        if (!settings.Scan)
        {
            var watch = Stopwatch.StartNew();
            CompiledSequence sequence;
            try
            {
                sequence = compiler.Compile(main);
            }
            catch (SequenceException e)
            {
                stderr.WriteLine(program.ToDiagnostic(e).ToMSBuildFormat());
                return ExitCodes.DiagnosticErrors;
            }

            compileTime = watch.Elapsed;
            outputs.Write(sequence, null, null);
            if (settings.Output != "-")
            {
                stdout.WriteLine(Inv($"{settings.File}: {Summary(program, sequence)}"));
            }
        }
        else
        {
            var points = program.ScanPoints!;
            var digits = Math.Max(4, (points.Count - 1).ToString(CultureInfo.InvariantCulture).Length);
            for (var i = 0; i < points.Count; i++)
            {
                ScanPointResult result;
                try
                {
                    // One point at a time, so that a point that fails is reported and the next one still runs.
                    result = compiler.CompileScan(main, Scan.List(SequenceProgram.ToScanPoint(points[i]))).Single();
                }
                catch (SequenceException e)
                {
                    var d = program.ToDiagnostic(e);
                    stderr.WriteLine(d with { Message = Inv($"scan point {i} ({SequenceProgram.Describe(points[i])}): {d.Message}") });
                    failed = true;
                    continue;
                }

                compileTime += result.CompileTime;
                var index = i.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                outputs.Write(result.Sequence, index, points[i]);
                var change = result.Change switch
                {
                    ParameterChange.None => "unchanged",
                    ParameterChange.PayloadsOnly => "payloads only",
                    _ => "durations changed",
                };
                stdout.WriteLine(Inv($"point {index} ({SequenceProgram.Describe(points[i])}): {Summary(program, result.Sequence)}, compiled in {result.CompileTime.TotalMilliseconds:0.###} ms ({change})"));
            }
        }

        if (settings.Stats)
        {
            var s = compiler.Statistics;
            stdout.WriteLine(Inv($"stats: {program.Arena.Count} nodes, {program.Arena.ChannelCount} channels, {program.Parameters.Count} parameters; bind {bindWatch.Elapsed.TotalMilliseconds:0.###} ms, compile {compileTime.TotalMilliseconds:0.###} ms"));
            stdout.WriteLine(Inv($"stats: cache {s.CachedNodes} entries, {s.Hits} hits, {s.Misses} misses ({s.HitRate:P1}), {s.StructuralHits} structural hits, {s.Evictions} evictions, {s.BytesHeld} bytes"));
        }

        return failed ? ExitCodes.DiagnosticErrors : ExitCodes.Success;
    }

    private static void Print(IReadOnlyList<Diagnostic> diagnostics, TextWriter stdout, TextWriter stderr)
    {
        foreach (var d in diagnostics)
        {
            (d.IsError ? stderr : stdout).WriteLine(d.ToMSBuildFormat());
        }
    }

    private static string Summary(SequenceProgram program, CompiledSequence sequence)
    {
        var channels = new HashSet<uint>();
        for (var i = 0; i < sequence.Count; i++)
        {
            channels.Add(sequence.ChannelAt(i).Value);
        }

        var boards = channels.Select(c => c >> Channel.BoardShift).Distinct().Count();
        return Inv($"{sequence.Count} events on {channels.Count} channels ({boards} boards), {TimeText.FormatCycles(sequence.Duration, program.Arena.Clock.Hz)} ({sequence.Duration} cycles)");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the events file and the picture of one compile.</summary>
    private sealed class Outputs(Settings settings, SequenceProgram program, ulong? from, ulong? to, ulong? threshold, TextWriter stdout)
    {
        public void Write(CompiledSequence sequence, string? pointIndex, IReadOnlyList<ScanAssignment>? point)
        {
            var parameters = program.Parameters.Select(p =>
            {
                var value = point?.FirstOrDefault(a => ReferenceEquals(a.Parameter, p))?.Value ?? p.Parameter.Value;
                return new KeyValuePair<string, string>(p.Name, p.Format(value));
            }).ToList();
            var options = new EventOutputOptions
            {
                SourceOf = program.LocationOf,
                ChannelName = c => program.ChannelNames.GetValueOrDefault(c),
                Parameters = parameters,
            };
            if (settings.Output is { } output)
            {
                var writer = new StringWriter(CultureInfo.InvariantCulture);
                if (settings.Format == "json")
                {
                    EventJsonWriter.Write(sequence, writer, options);
                }
                else
                {
                    EventCsvWriter.Write(sequence, writer, options);
                }

                if (output == "-")
                {
                    stdout.Write(writer.ToString());
                }
                else
                {
                    OutputWriter.WriteIfChanged(PointPath(output, pointIndex), writer.ToString());
                }
            }

            if (settings.Svg is { } svg)
            {
                var end = Math.Max(sequence.Duration, 1);
                var shownFrom = from ?? 0;
                var shownTo = to ?? end;
                ulong? gaps = settings.Compress ? threshold ?? Math.Max(1, (shownTo > shownFrom ? shownTo - shownFrom : 1) / 20) : null;
                var title = pointIndex is null ? Path.GetFileName(settings.File) : $"{Path.GetFileName(settings.File)}, point {pointIndex}: {SequenceProgram.Describe(point!)}";
                var picture = SvgTimeline.Render(sequence, new SvgTimelineOptions
                {
                    From = from,
                    To = to,
                    CompressGapsLongerThan = gaps,
                    Title = title,
                    ChannelName = options.ChannelName,
                    SourceOf = program.LocationOf,
                    Level = SeqOpcodes.TtlLevel,
                });
                OutputWriter.WriteIfChanged(PointPath(svg, pointIndex), picture);
            }
        }
    }

    /// <summary><c>out/events.csv</c> → <c>out/events.point-0003.csv</c>.</summary>
    internal static string PointPath(string path, string? pointIndex)
    {
        if (pointIndex is null)
        {
            return path;
        }

        var directory = Path.GetDirectoryName(path);
        var name = Path.GetFileNameWithoutExtension(path) + ".point-" + pointIndex + Path.GetExtension(path);
        return string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
    }
}
