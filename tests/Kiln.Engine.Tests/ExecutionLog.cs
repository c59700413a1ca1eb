using System.Collections.Concurrent;

namespace Kiln.Engine.Tests;

/// <summary>Each query writes what ran; tests assert the log, so "did not re-run" is checked.</summary>
internal sealed class ExecutionLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    public void Ran(string entry) => _entries.Enqueue(entry);

    /// <summary>Returns what ran since the last call, sorted, and forgets it.</summary>
    public string[] Take()
    {
        var taken = new List<string>();
        while (_entries.TryDequeue(out var entry))
        {
            taken.Add(entry);
        }

        taken.Sort(StringComparer.Ordinal);
        return [.. taken];
    }
}
