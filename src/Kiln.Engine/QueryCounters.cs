namespace Kiln.Engine;

/// <summary>Counters of one query kind. Written from many threads; read as a snapshot.</summary>
internal sealed class QueryCounters(string name)
{
    public string Name { get; } = name;

    /// <summary>Fetches answered by a memo already verified in the current revision.</summary>
    public StripedCounter Hits { get; } = new();

    /// <summary>Memos found green by walking their dependencies, reused without running.</summary>
    public StripedCounter Validations { get; } = new();

    /// <summary>First executions for a key (no memo existed).</summary>
    public StripedCounter Misses { get; } = new();

    /// <summary>Executions that replaced an existing memo.</summary>
    public StripedCounter Reexecutions { get; } = new();

    /// <summary>Re-executions whose value equalled the old one (early cutoff).</summary>
    public StripedCounter Backdates { get; } = new();

    public StripedCounter Evictions { get; } = new();

    /// <summary>Stopwatch ticks spent in this kind's functions, excluding nested executions.</summary>
    public StripedCounter ExecutionTicks { get; } = new();

    public QueryStatistics Snapshot() => new(
        Name,
        Hits.Sum,
        Validations.Sum,
        Misses.Sum,
        Reexecutions.Sum,
        Backdates.Sum,
        Evictions.Sum,
        TimeSpan.FromSeconds(ExecutionTicks.Sum / (double)System.Diagnostics.Stopwatch.Frequency));
}

/// <summary>What one query kind did since the database was created.</summary>
public sealed record QueryStatistics(
    string Query,
    long Hits,
    long Validations,
    long Misses,
    long Reexecutions,
    long Backdates,
    long Evictions,
    TimeSpan ExecutionTime)
{
    public long Executions => Misses + Reexecutions;
}

/// <summary>
/// A counter that many threads increment without fighting over one cache line: each thread
/// adds to one of a few padded cells, and reading sums them.
/// </summary>
internal sealed class StripedCounter
{
    private const int Padding = 8; // longs per 64-byte cache line
    private static readonly int s_stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, Environment.ProcessorCount));
    private readonly long[] _cells = new long[s_stripes * Padding];

    public long Sum
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _cells.Length; i += Padding)
            {
                sum += Volatile.Read(ref _cells[i]);
            }

            return sum;
        }
    }

    public void Increment() => Add(1);

    public void Add(long amount)
    {
        var index = (Environment.CurrentManagedThreadId & (s_stripes - 1)) * Padding;
        Interlocked.Add(ref _cells[index], amount);
    }
}

internal interface IQueryKind
{
    string Name { get; }

    QueryCounters Counters { get; }
}
