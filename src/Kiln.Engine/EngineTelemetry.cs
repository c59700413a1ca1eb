using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kiln.Engine;

/// <summary>
/// The engine's counters and spans, published where standard .NET tools look:
/// <c>dotnet-counters monitor --counters Kiln.Engine</c>, a <see cref="MeterListener"/>, or an
/// OpenTelemetry exporter; spans through the <c>Kiln.Engine</c> <see cref="ActivitySource"/>.
/// Every measurement carries the query kind in the <c>kiln.query</c> tag.
/// </summary>
public static class EngineTelemetry
{
    public const string SourceName = "Kiln.Engine";

    private static readonly ActivitySource s_activities = new(SourceName);
    private static readonly Meter s_meter = new(SourceName);
    private static readonly List<WeakReference<Database>> s_databases = [];
    private static readonly Lock s_lock = new();

    static EngineTelemetry()
    {
        Observe("kiln.engine.query.hits", "{fetch}", "Fetches answered by a memo verified in the current revision.", s => s.Hits);
        Observe("kiln.engine.query.validations", "{memo}", "Memos verified green without re-running.", s => s.Validations);
        Observe("kiln.engine.query.misses", "{execution}", "First executions of a query for a key.", s => s.Misses);
        Observe("kiln.engine.query.reexecutions", "{execution}", "Executions that replaced an older memo.", s => s.Reexecutions);
        Observe("kiln.engine.query.backdates", "{execution}", "Re-executions whose value was unchanged (early cutoff).", s => s.Backdates);
        Observe("kiln.engine.query.evictions", "{memo}", "Values dropped by the LRU bound.", s => s.Evictions);
        s_meter.CreateObservableCounter(
            "kiln.engine.query.time",
            () => Measure(s => s.ExecutionTime.TotalSeconds),
            "s",
            "Time spent in each query kind's own function, nested executions excluded.");
    }

    public static ActivitySource ActivitySource => s_activities;

    internal static void Register(Database database)
    {
        lock (s_lock)
        {
            s_databases.RemoveAll(static w => !w.TryGetTarget(out _));
            s_databases.Add(new WeakReference<Database>(database));
        }
    }

    internal static Activity? StartActivity(string queryName, Slot slot)
    {
        if (!s_activities.HasListeners())
        {
            return null;
        }

        var activity = s_activities.StartActivity(queryName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("kiln.query", queryName);
            activity.SetTag("kiln.key", slot.Describe());
        }

        return activity;
    }

    private static void Observe(string name, string unit, string description, Func<QueryStatistics, long> select) =>
        s_meter.CreateObservableCounter(name, () => Measure(select), unit, description);

    private static List<Measurement<T>> Measure<T>(Func<QueryStatistics, T> select)
        where T : struct
    {
        var measurements = new List<Measurement<T>>();
        lock (s_lock)
        {
            foreach (var reference in s_databases)
            {
                if (!reference.TryGetTarget(out var database))
                {
                    continue;
                }

                foreach (var statistics in database.GetStatistics())
                {
                    measurements.Add(new Measurement<T>(
                        select(statistics),
                        new KeyValuePair<string, object?>("kiln.query", statistics.Query),
                        new KeyValuePair<string, object?>("kiln.database", database.Id)));
                }
            }
        }

        return measurements;
    }
}
