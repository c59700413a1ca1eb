using System.Diagnostics;
using Kiln.Engine;
using Kiln.Text;

namespace Kiln.Build.Workspace;

/// <summary>
/// One timed piece of a build (a phase, or one file's generation): what the trace and the timings
/// table show. A class, so that <c>List&lt;BuildSpan&gt;</c> runs the framework's precompiled shared
/// code instead of being JIT-compiled in every new process (see <see cref="FileStamp"/>).
/// </summary>
public sealed record BuildSpan(string Name, string Category, long StartTicks, long EndTicks, int ThreadId)
{
    public TimeSpan Duration => Stopwatch.GetElapsedTime(StartTicks, EndTicks);
}

/// <summary>
/// What one <c>kiln build</c> (or one rebuild in <c>kiln watch</c>) did: its diagnostics, counts,
/// the outputs it wrote, and where its time went.
/// </summary>
public sealed class BuildReport
{
    public List<Diagnostic> Diagnostics { get; } = [];

    /// <summary>True when the build found nothing changed since the last one and did no work (its diagnostics are replayed).</summary>
    public bool UpToDate { get; set; }

    /// <summary>True when an input or settings problem stopped the build before any generation (usage or I/O).</summary>
    public bool UsageError { get; set; }

    public int Inputs { get; set; }

    public int FilesLoaded { get; set; }

    public int Definitions { get; set; }

    /// <summary>Inputs whose outputs were generated in this build (neither current nor in the cache), full paths.</summary>
    public List<string> GeneratedInputs { get; } = [];

    public int Generated => GeneratedInputs.Count;

    public List<string> Written { get; } = [];

    public int Unchanged { get; set; }

    public List<string> Deleted { get; } = [];

    public long CacheHits { get; set; }

    public long CacheMisses { get; set; }

    /// <summary>Inputs whose outputs were already current in this process (watch mode): neither generated nor looked up.</summary>
    public int Reused { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>CPU time the process spent during the build (all threads), for parallel efficiency.</summary>
    public TimeSpan CpuTime { get; set; }

    public List<BuildSpan> Spans { get; } = [];

    public IReadOnlyList<QueryStatistics> QueryStatistics { get; set; } = [];

    public bool HasErrors => Diagnostics.Exists(d => d.IsError);

    public double CacheHitRate => CacheHits + CacheMisses == 0 ? 0 : (double)CacheHits / (CacheHits + CacheMisses);

    /// <summary>CPU time over wall time times cores: 1 means every core was busy all the time.</summary>
    public double ParallelEfficiency => Elapsed <= TimeSpan.Zero ? 0 : CpuTime.TotalSeconds / (Elapsed.TotalSeconds * Environment.ProcessorCount);
}
