using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Kiln.Build;

/// <summary>
/// A 128-bit xxHash (cache keys, text and exports hashes): the value
/// <c>XxHash128.HashToUInt128</c> gives, as its two halves.
/// Kiln's own type rather than <see cref="UInt128"/>, which crossgen2 takes as ABI unstable: every
/// method with a UInt128 in its signature, or touching a type that holds one, was left out of the
/// ReadyToRun task assemblies (the build's core among them) and JIT-compiled in every new MSBuild
/// process. Everything written stays as UInt128 wrote it: the build state writes
/// <see cref="High"/> then <see cref="Low"/>, a key's bytes are the value little-endian
/// (<see cref="WriteLittleEndian"/>) and the cache's file names its 32 lowercase hex digits
/// (<see cref="ToString"/>).
/// </summary>
public readonly struct Hash128(ulong high, ulong low) : IEquatable<Hash128>
{
    /// <summary>The upper 64 bits.</summary>
    public ulong High { get; } = high;

    /// <summary>The lower 64 bits.</summary>
    public ulong Low { get; } = low;

    public static Hash128 Zero => default;

    /// <summary>The xxHash-128 of <paramref name="data"/> (seed 0).</summary>
    public static Hash128 Of(ReadOnlySpan<byte> data)
    {
        Span<byte> bytes = stackalloc byte[16];
        XxHash128.Hash(data, bytes);
        return FromBigEndian(bytes);
    }

    /// <summary>The hash of what <paramref name="hash"/> has been given so far.</summary>
    public static Hash128 CurrentOf(XxHash128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        hash.GetCurrentHash(bytes);
        return FromBigEndian(bytes);
    }

    /// <summary>The 16 bytes of the value, least significant first (as <c>BinaryPrimitives.WriteUInt128LittleEndian</c> writes them).</summary>
    public void WriteLittleEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], High);
    }

    public bool Equals(Hash128 other) => High == other.High && Low == other.Low;

    public override bool Equals(object? obj) => obj is Hash128 other && Equals(other);

    public override int GetHashCode() => (Low ^ High).GetHashCode();

    /// <summary>The value as 32 lowercase hex digits, most significant first (UInt128's <c>"x32"</c>).</summary>
    public override string ToString()
    {
        Span<char> hex = stackalloc char[32];
        High.TryFormat(hex, out _, "x16", CultureInfo.InvariantCulture);
        Low.TryFormat(hex[16..], out _, "x16", CultureInfo.InvariantCulture);
        return new string(hex);
    }

    public static bool operator ==(Hash128 left, Hash128 right) => left.Equals(right);

    public static bool operator !=(Hash128 left, Hash128 right) => !left.Equals(right);

    /// <summary>XxHash128 writes its hash big-endian: the upper half, then the lower.</summary>
    private static Hash128 FromBigEndian(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
}
