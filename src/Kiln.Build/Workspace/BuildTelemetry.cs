using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kiln.Build.Workspace;

/// <summary>A build's figures in the formats other tools read: Chrome trace events (Perfetto) and Prometheus text.</summary>
public static class BuildTelemetry
{
    /// <summary>The spans as Chrome trace-event JSON ("X" complete events, microseconds, one row per thread).</summary>
    public static string ChromeTrace(BuildReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var origin = report.Spans.Count == 0 ? 0 : report.Spans.Min(s => s.StartTicks);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("displayTimeUnit", "ms");
            writer.WriteStartArray("traceEvents");
            foreach (var span in report.Spans.OrderBy(s => s.StartTicks))
            {
                writer.WriteStartObject();
                writer.WriteString("name", span.Name);
                writer.WriteString("cat", span.Category);
                writer.WriteString("ph", "X");
                writer.WriteNumber("ts", Microseconds(span.StartTicks - origin));
                writer.WriteNumber("dur", Microseconds(span.EndTicks - span.StartTicks));
                writer.WriteNumber("pid", Environment.ProcessId);
                writer.WriteNumber("tid", span.ThreadId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Microseconds(long ticks) => Math.Round(ticks * 1_000_000.0 / Stopwatch.Frequency, 1);

    /// <summary>The build's counters in the Prometheus text exposition format.</summary>
    public static string Prometheus(BuildReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        void Metric(string name, string type, string help, double value, string labels = "")
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("kiln_builds_total", "counter", "Builds run by this process.", 1);
        Metric("kiln_build_up_to_date", "gauge", "1 if the build found nothing to do.", report.UpToDate ? 1 : 0);
        Metric("kiln_build_duration_seconds", "gauge", "Wall time of the build.", report.Elapsed.TotalSeconds);
        Metric("kiln_build_cpu_seconds", "gauge", "CPU time of all threads during the build.", report.CpuTime.TotalSeconds);
        Metric("kiln_build_parallel_efficiency", "gauge", "CPU time over wall time times cores (1 = every core busy).", report.ParallelEfficiency);
        Metric("kiln_build_inputs", "gauge", "Input files selected by the globs.", report.Inputs);
        Metric("kiln_build_files_loaded", "gauge", "IDL files read (inputs and imports).", report.FilesLoaded);
        Metric("kiln_build_definitions", "gauge", "Top-level definitions in the inputs.", report.Definitions);
        Metric("kiln_build_outputs_written", "gauge", "Outputs whose bytes changed and were written.", report.Written.Count);
        Metric("kiln_build_outputs_unchanged", "gauge", "Outputs already on disk with the same bytes.", report.Unchanged);
        Metric("kiln_build_outputs_deleted", "gauge", "Stale outputs removed.", report.Deleted.Count);
        Metric("kiln_cache_hits_total", "counter", "Artifact cache hits.", report.CacheHits);
        Metric("kiln_cache_misses_total", "counter", "Artifact cache misses (absent or not intact).", report.CacheMisses);
        Metric("kiln_cache_hit_ratio", "gauge", "Hits over lookups.", report.CacheHitRate);
        Metric("kiln_build_errors", "gauge", "Error diagnostics.", report.Diagnostics.Count(d => d.IsError));
        text.Append("# HELP kiln_phase_duration_seconds Wall time of each build phase.\n# TYPE kiln_phase_duration_seconds gauge\n");
        foreach (var span in report.Spans.Where(s => s.Category == "phase"))
        {
            text.Append("kiln_phase_duration_seconds{phase=\"").Append(span.Name.Replace("\"", "'", StringComparison.Ordinal)).Append("\"} ")
                .Append(span.Duration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP kiln_query_executions_total Query executions by kind.\n# TYPE kiln_query_executions_total counter\n");
        foreach (var q in report.QueryStatistics)
        {
            text.Append("kiln_query_executions_total{query=\"").Append(q.Query).Append("\"} ").Append(q.Executions.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
