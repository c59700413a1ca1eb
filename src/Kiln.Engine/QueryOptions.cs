namespace Kiln.Engine;

/// <summary>How a derived query compares and keeps its values.</summary>
public sealed record QueryOptions<TValue>
{
    /// <summary>Decides early cutoff: an equal new value keeps the old <c>ChangedAt</c>. Default: <see cref="EqualityComparer{T}.Default"/>.</summary>
    public IEqualityComparer<TValue>? Comparer { get; init; }

    /// <summary>A comparer for keys (an <c>IEqualityComparer&lt;TKey&gt;</c>); default equality if null.</summary>
    public object? KeyComparer { get; init; }

    /// <summary>At most this many values are kept (least recently used are evicted); 0 keeps all.</summary>
    public int LruCapacity { get; init; }
}
