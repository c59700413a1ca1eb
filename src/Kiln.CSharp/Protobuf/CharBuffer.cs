using System.Buffers;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// A growable text buffer on pooled arrays, reused file after file by one generator thread:
/// clearing it keeps its array, where a <c>StringBuilder</c> of many chunks copies them back into one.
/// </summary>
public sealed class CharBuffer : IDisposable
{
    private char[] _chars;
    private int _length;

    public CharBuffer(int capacity = 1 << 16) => _chars = ArrayPool<char>.Shared.Rent(capacity);

    public int Length => _length;

    /// <summary>The text written so far; valid until the next write.</summary>
    public ReadOnlySpan<char> WrittenSpan => _chars.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    public void Append(char c, int count)
    {
        if (_length + count > _chars.Length)
        {
            Grow(count);
        }

        _chars.AsSpan(_length, count).Fill(c);
        _length += count;
    }

    public override string ToString() => new(WrittenSpan);

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
        _length = 0;
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = bigger;
    }
}
