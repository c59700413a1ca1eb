namespace Kiln.Engine;

/// <summary>
/// A query depended on itself, directly or through others, possibly across threads. The
/// message names every query on the cycle, in the order they called each other, and ends
/// with the first one again.
/// </summary>
public sealed class CycleException : InvalidOperationException
{
    public CycleException()
        : this([])
    {
    }

    public CycleException(string message)
        : base(message)
    {
        Cycle = [];
    }

    public CycleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Cycle = [];
    }

    public CycleException(IReadOnlyList<string> cycle)
        : base("Dependency cycle: " + string.Join(" -> ", cycle))
    {
        Cycle = cycle;
    }

    /// <summary>The queries on the cycle; the last element repeats the first.</summary>
    public IReadOnlyList<string> Cycle { get; }
}
