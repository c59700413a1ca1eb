namespace Kiln.Engine.Tests;

/// <summary>An array compared by its elements, so a query returning one can be backdated.</summary>
internal readonly struct EquatableArray<T>(T[] items) : IEquatable<EquatableArray<T>>
{
    public T[] Items { get; } = items;

    public bool Equals(EquatableArray<T> other) => Items.AsSpan().SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => Items.Length;
}
