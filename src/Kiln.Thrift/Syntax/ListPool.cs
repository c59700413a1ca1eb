using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Kiln.Thrift.Syntax;

/// <summary>
/// Scratch lists for the parser: each list of items (fields, enum values, annotations, ...) is
/// collected in a reused <see cref="List{T}"/> and copied once, at its exact size, into the
/// immutable array the tree keeps. Before, every list allocated a fresh <see cref="List{T}"/>
/// and its growing arrays, which were garbage as soon as the tree node was built. One cached
/// list per item type and thread; a nested list of the same type (a list constant inside a list
/// constant) simply gets a new one.
/// </summary>
internal static class ListPool<T>
{
    /// <summary>Lists that grew beyond this are let go, so a freak input does not pin memory.</summary>
    private const int MaxPooledCapacity = 1024;

    [ThreadStatic]
    private static List<T>? t_cached;

    public static List<T> Rent()
    {
        var list = t_cached ?? new List<T>(16);
        t_cached = null;
        return list;
    }

    /// <summary>Copies the items into an <see cref="EquatableArray{T}"/> and gives the list back.</summary>
    public static EquatableArray<T> ToArrayAndReturn(List<T> list)
    {
        var result = list.Count == 0
            ? EquatableArray<T>.Empty
            : new EquatableArray<T>(ImmutableArray.Create<T>(CollectionsMarshal.AsSpan(list)));
        list.Clear();
        if (list.Capacity <= MaxPooledCapacity)
        {
            t_cached = list;
        }

        return result;
    }
}
