using System.CommandLine;
using Kiln.Build;
using Kiln.Build.Workspace;
using Kiln.Text;

namespace Kiln.Cli;

/// <summary>How much <c>kiln build</c> and <c>kiln watch</c> say.</summary>
internal enum Verbosity
{
    /// <summary>Diagnostics only.</summary>
    Quiet,

    /// <summary>Diagnostics and the one-line summary (the default).</summary>
    Minimal,

    /// <summary>Also each file written or deleted.</summary>
    Normal,

    /// <summary>Also the engine's counters per query kind.</summary>
    Detailed,
}

/// <summary>
/// <c>kiln build</c>, <c>kiln watch</c> and <c>kiln init</c>: the workspace commands (a folder with a
/// <c>kiln.json</c>, or without one the defaults of <see cref="KilnConfig.Defaults"/>).
/// </summary>
internal static class BuildCommand
{
    private sealed record CommonOptions(
        Argument<string> Directory,
        Option<Verbosity> Verbosity,
        Option<string> DiagnosticsFormat,
        Option<bool> NoCache);

    private static CommonOptions AddCommon(Command command)
    {
        var options = new CommonOptions(
            new Argument<string>("DIR")
            {
                Description = "The workspace: a folder holding kiln.json (without one, every .proto and .thrift file under it is compiled into gen/), or a kiln.json file.",
                Arity = ArgumentArity.ZeroOrOne,
                DefaultValueFactory = _ => ".",
            },
            new Option<Verbosity>("--verbosity", "-v")
            {
                Description = "quiet (diagnostics only), minimal (and a summary; the default), normal (and each file written or deleted), detailed (and the engine's counters).",
                DefaultValueFactory = _ => Verbosity.Minimal,
            },
            new Option<string>("--diagnostics-format")
            {
                Description = "msbuild (path(line,col): error CODE: message; the default) or json (one JSON object per line).",
                DefaultValueFactory = _ => "msbuild",
            },
            new Option<bool>("--no-cache") { Description = "Neither read nor write the artifact cache." });
        options.DiagnosticsFormat.AcceptOnlyFromAmong("msbuild", "json");
        command.Arguments.Add(options.Directory);
        command.Options.Add(options.Verbosity);
        command.Options.Add(options.DiagnosticsFormat);
        command.Options.Add(options.NoCache);
        return options;
    }

    public static Command CreateBuild(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("build", "Build a workspace: every input in parallel, outputs written only when their bytes change, stale outputs removed, results cached on disk (see docs/kiln-json.md).");
        var common = AddCommon(command);
        var timings = new Option<bool>("--timings") { Description = "Print where the time went: each phase, the slowest files, the engine's query kinds." };
        var trace = new Option<string?>("--trace") { Description = "Write a Chrome trace-event JSON file (open it in Perfetto or chrome://tracing)." };
        var metrics = new Option<string?>("--metrics") { Description = "Write Prometheus text-format metrics (builds, durations, cache hit rate, parallel efficiency)." };
        command.Options.Add(timings);
        command.Options.Add(trace);
        command.Options.Add(metrics);
        command.SetAction(parse =>
        {
            var config = LoadConfig(parse.GetValue(common.Directory)!, parse.GetValue(common.DiagnosticsFormat)!, stderr);
            if (config is null)
            {
                return ExitCodes.UsageOrIOError;
            }

            var printer = new BuildPrinter(stdout, stderr, parse.GetValue(common.Verbosity), parse.GetValue(common.DiagnosticsFormat) == "json");
            var builder = new WorkspaceBuilder(config, useCache: !parse.GetValue(common.NoCache));
            var report = printer.RunWithProgress(builder, changed: null);
            printer.Print(report, watching: false);
            if (parse.GetValue(timings))
            {
                printer.PrintTimings(report);
            }

            if (parse.GetValue(trace) is { } traceFile)
            {
                File.WriteAllText(traceFile, BuildTelemetry.ChromeTrace(report));
            }

            if (parse.GetValue(metrics) is { } metricsFile)
            {
                File.WriteAllText(metricsFile, BuildTelemetry.Prometheus(report));
            }

            return ExitCode(report);
        });
        return command;
    }

    public static Command CreateWatch(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("watch", "Build a workspace, then keep it built: after each edit, rewrite just the affected outputs and say what changed and how long it took. Ctrl+C stops.");
        var common = AddCommon(command);
        var debounce = new Option<int>("--debounce")
        {
            Description = "Milliseconds without further file events before a rebuild starts (editors save in several steps).",
            DefaultValueFactory = _ => 5,
        };
        command.Options.Add(debounce);
        command.SetAction((parse, cancellation) =>
        {
            var directory = parse.GetValue(common.Directory)!;
            var format = parse.GetValue(common.DiagnosticsFormat)!;
            var config = LoadConfig(directory, format, stderr);
            if (config is null)
            {
                return Task.FromResult(ExitCodes.UsageOrIOError);
            }

            var printer = new BuildPrinter(stdout, stderr, parse.GetValue(common.Verbosity), format == "json");
            var watch = new WatchLoop(config, directory, !parse.GetValue(common.NoCache), TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(debounce))), printer, stderr);
            return Task.FromResult(watch.Run(cancellation));
        });
        return command;
    }

    public static Command CreateInit(TextWriter stdout, TextWriter stderr)
    {
        var directory = new Argument<string>("DIR") { Description = "The folder to write kiln.json into.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing kiln.json." };
        var command = new Command("init", "Write a commented starter kiln.json (Protobuf and Thrift sections; edit the globs and folders).") { directory, force };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(directory)!;
            var path = Path.Combine(folder, KilnConfig.FileName);
            if (File.Exists(path) && !parse.GetValue(force))
            {
                stderr.WriteLine($"{path}: error KLN0001: kiln.json already exists (use --force to overwrite it).");
                return ExitCodes.UsageOrIOError;
            }

            Directory.CreateDirectory(folder);
            File.WriteAllText(path, KilnConfig.StarterText);
            stdout.WriteLine($"Wrote {path}. Edit its globs and folders, then run 'kiln build' (or 'kiln watch') in {folder}.");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static KilnConfig? LoadConfig(string directory, string format, TextWriter stderr)
    {
        var config = KilnConfig.Load(directory, out var diagnostics);
        foreach (var d in diagnostics)
        {
            stderr.WriteLine(format == "json" ? BuildPrinter.Json(d) : d.ToMSBuildFormat());
        }

        return config;
    }

    internal static int ExitCode(BuildReport report) =>
        report.UsageError ? ExitCodes.UsageOrIOError
        : report.Diagnostics.Exists(d => d.IsError && d.Code is "KLN0002" or "KLN0003") ? ExitCodes.UsageOrIOError
        : report.HasErrors ? ExitCodes.DiagnosticErrors
        : ExitCodes.Success;
}
