using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kiln.Thrift.Bench;

/// <summary>Corpus lines processed per second: <see cref="FrontEndBenchmarks.Lines"/> over the mean time of one run.</summary>
public sealed class LinesPerSecondColumn : IColumn
{
    private static readonly Lazy<int> s_lines = new(() =>
    {
        Corpus.Generate(FrontEndBenchmarks.TargetLines, out var lines);
        return lines;
    });

    public string Id => nameof(LinesPerSecondColumn);

    public string ColumnName => "Lines/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Corpus lines per second (mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics || statistics.Mean <= 0)
        {
            return "-";
        }

        // The benchmark ran in another process; the corpus is deterministic, so count its lines here.
        return (s_lines.Value * 1e9 / statistics.Mean).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
