using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kiln.Engine.Tests;

public class TelemetryTests
{
    [Fact]
    public void Statistics_count_hits_misses_re_executions_backdates_and_time()
    {
        var db = new Database();
        var input = db.Input<string, int>("n");
        var half = db.Query<string, int>("half", (ctx, k) =>
        {
            Thread.Sleep(5);
            return ctx.Get(input, k) / 2;
        });
        input.Set("a", 4);
        half.Get(db, "a"); // miss
        half.Get(db, "a"); // hit
        input.Set("a", 5);
        half.Get(db, "a"); // re-execution, backdated (5 / 2 == 4 / 2)

        var s = db.GetStatistics().Single();
        Assert.Equal("half", s.Query);
        Assert.Equal((1L, 1L, 1L, 1L), (s.Hits, s.Misses, s.Reexecutions, s.Backdates));
        Assert.Equal(2, s.Executions);
        Assert.True(s.ExecutionTime >= TimeSpan.FromMilliseconds(9), s.ExecutionTime.ToString());
    }

    [Fact]
    public void Counters_are_published_through_System_Diagnostics_Metrics()
    {
        var db = new Database();
        var q = db.Query<int, int>("metrics-probe", (ctx, k) => k);
        q.Get(db, 1);
        q.Get(db, 1);
        q.Get(db, 1);

        var hits = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var database = tags.ToArray().Single(t => t.Key == "kiln.database").Value;
            var query = tags.ToArray().Single(t => t.Key == "kiln.query").Value;
            if (Equals(database, db.Id) && Equals(query, "metrics-probe"))
            {
                hits[instrument.Name] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(2, hits["kiln.engine.query.hits"]);
        Assert.Equal(1, hits["kiln.engine.query.misses"]);
    }

    [Fact]
    public void Each_execution_is_a_span_of_the_Kiln_Engine_activity_source()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var db = new Database();
        var inner = db.Query<string, int>("span-inner", (ctx, k) => 1);
        var outer = db.Query<string, int>("span-outer", (ctx, k) => ctx.Get(inner, k) + 1);
        outer.Get(db, "x");

        lock (spans)
        {
            var outerSpan = spans.Single(a => a.OperationName == "span-outer");
            var innerSpan = spans.Single(a => a.OperationName == "span-inner");
            Assert.Equal(outerSpan.SpanId, innerSpan.ParentSpanId);
            Assert.Equal("span-inner(\"x\")", innerSpan.GetTagItem("kiln.key"));
        }
    }
}
