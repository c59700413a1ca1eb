using System.Globalization;
using System.Text.Json;
using Kiln.Build.Workspace;
using Kiln.Text;
using Spectre.Console;

namespace Kiln.Cli;

/// <summary>
/// What <c>kiln build</c> and <c>kiln watch</c> print: diagnostics (MSBuild lines or JSON lines) on
/// stderr; the summary, file lists and timings on stdout; a progress bar on a terminal when a
/// build runs longer than a second, plain lines otherwise (redirected output, CI).
/// </summary>
internal sealed class BuildPrinter(TextWriter stdout, TextWriter stderr, Verbosity verbosity, bool json)
{
    private static readonly TimeSpan s_progressAfter = TimeSpan.FromSeconds(1);

    public Verbosity Verbosity => verbosity;

    public TextWriter Out => stdout;

    /// <summary>Runs a build; on an interactive console a build still running after a second gets a progress bar.</summary>
    public BuildReport RunWithProgress(WorkspaceBuilder builder, IReadOnlyCollection<string>? changed)
    {
        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && verbosity != Verbosity.Quiet
            && Environment.GetEnvironmentVariable("CI") is null;
        if (!interactive)
        {
            return builder.Build(changed);
        }

        (string Phase, int Done, int Total) progress = ("reading", 0, 0);
        builder.Progress = (phase, done, total) => progress = (phase, done, total);
        var build = Task.Run(() => builder.Build(changed));
        if (!build.Wait(s_progressAfter))
        {
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("building");
                    while (!build.Wait(TimeSpan.FromMilliseconds(100)))
                    {
                        var (phase, done, total) = progress;
                        task.Description = phase;
                        if (total > 0)
                        {
                            task.MaxValue = total;
                            task.Value = done;
                        }
                    }

                    task.Value = task.MaxValue;
                });
        }

        builder.Progress = null;
        return build.GetAwaiter().GetResult();
    }

    public void PrintDiagnostics(BuildReport report)
    {
        foreach (var d in report.Diagnostics)
        {
            stderr.WriteLine(json ? Json(d) : d.ToMSBuildFormat());
        }
    }

    public void Print(BuildReport report, bool watching)
    {
        PrintDiagnostics(report);

        // Watching, what an edit did is the point: the files written and deleted are listed at the
        // default verbosity too, unless there are many.
        if (verbosity >= Verbosity.Normal || (watching && verbosity == Verbosity.Minimal && report.Written.Count + report.Deleted.Count <= 10))
        {
            foreach (var path in report.Written)
            {
                stdout.WriteLine($"  wrote   {WorkspaceBuilder.Display(path)}");
            }

            foreach (var path in report.Deleted)
            {
                stdout.WriteLine($"  deleted {WorkspaceBuilder.Display(path)}");
            }
        }

        if (verbosity >= Verbosity.Minimal)
        {
            stdout.WriteLine(Summary(report, watching));
        }

        if (verbosity >= Verbosity.Detailed)
        {
            stdout.WriteLine("  phases: " + string.Join(", ", report.Spans.Where(s => s.Category == "phase")
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Duration.TotalMilliseconds:F1} ms"))));
            foreach (var q in report.QueryStatistics)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  query {q.Query}: {q.Executions} executed ({q.Backdates} unchanged), {q.Hits} hits, {q.Validations} validated, {q.ExecutionTime.TotalMilliseconds:F1} ms"));
            }
        }
    }

    public static string Summary(BuildReport report, bool watching)
    {
        var errors = report.Diagnostics.Count(d => d.IsError);
        var warnings = report.Diagnostics.Count - errors;
        var problems = errors + warnings == 0 ? "" : $", {errors} error(s), {warnings} warning(s)";
        var time = FormatTime(report.Elapsed);
        if (report.UpToDate)
        {
            return $"kiln: up to date ({report.Inputs} inputs, {report.Unchanged} outputs){problems} in {time}";
        }

        var lookups = report.CacheHits + report.CacheMisses;
        var cache = lookups == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; cache {report.CacheHits}/{lookups} hits ({report.CacheHitRate:P0})");
        var verb = watching ? "rebuilt" : "built";
        return $"kiln: {verb} {report.Inputs} inputs ({report.FilesLoaded} files, {report.Definitions} definitions): " +
            $"{report.Written.Count} outputs written, {report.Unchanged} unchanged, {report.Deleted.Count} deleted; {report.Generated} generated{cache}{problems} in {time}";
    }

    public void PrintTimings(BuildReport report)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        var phases = new Table().Title("phases").AddColumn("phase").AddColumn(new TableColumn("ms").RightAligned());
        foreach (var span in report.Spans.Where(s => s.Category == "phase"))
        {
            phases.AddRow(Markup.Escape(span.Name), span.Duration.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        phases.AddRow("total (wall)", report.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        phases.AddRow("CPU, all threads", report.CpuTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        phases.AddRow("parallel efficiency", report.ParallelEfficiency.ToString("P0", CultureInfo.InvariantCulture));
        console.Write(phases);

        var slowest = report.Spans.Where(s => s.Category == "generate").OrderByDescending(s => s.Duration).Take(10).ToList();
        if (slowest.Count > 0)
        {
            var files = new Table().Title("slowest files (generate and write)").AddColumn("file").AddColumn(new TableColumn("ms").RightAligned());
            foreach (var span in slowest)
            {
                files.AddRow(Markup.Escape(span.Name), span.Duration.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
            }

            console.Write(files);
        }

        if (report.QueryStatistics.Count > 0)
        {
            var queries = new Table().Title("query kinds").AddColumn("query").AddColumn(new TableColumn("executed").RightAligned())
                .AddColumn(new TableColumn("unchanged").RightAligned()).AddColumn(new TableColumn("hits").RightAligned())
                .AddColumn(new TableColumn("ms (own)").RightAligned());
            foreach (var q in report.QueryStatistics)
            {
                queries.AddRow(Markup.Escape(q.Query), q.Executions.ToString(CultureInfo.InvariantCulture), q.Backdates.ToString(CultureInfo.InvariantCulture),
                    q.Hits.ToString(CultureInfo.InvariantCulture), q.ExecutionTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
            }

            console.Write(queries);
        }
    }

    public static string FormatTime(TimeSpan time) =>
        time.TotalSeconds >= 1 ? time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s" : time.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>One diagnostic as a JSON object on one line.</summary>
    public static string Json(Diagnostic d)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("severity", d.IsError ? "error" : "warning");
            writer.WriteString("code", d.Code);
            writer.WriteString("message", d.Message);
            writer.WriteString("file", d.Path);
            writer.WriteNumber("line", d.Line);
            writer.WriteNumber("column", d.Column);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
