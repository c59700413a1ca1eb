using System.Buffers;

namespace Kiln.Protobuf.Linking;

internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>A growable protobuf wire-format writer.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void WriteTag(int number, WireType type) => WriteVarint(((ulong)(uint)number << 3) | (uint)type);

    public void WriteFixed32(uint value)
    {
        var span = _buffer.GetSpan(4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        _buffer.Advance(4);
    }

    public void WriteFixed64(ulong value)
    {
        var span = _buffer.GetSpan(8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        _buffer.Advance(8);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteLengthDelimited(int number, ReadOnlySpan<byte> bytes)
    {
        WriteTag(number, WireType.LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }
}

/// <summary>
/// One wire record: the payload is a varint/fixed value or a byte range of the source. A class:
/// the framework's <c>List</c> over a struct of ours is compiled by the JIT in every new process
/// (an MSBuild build's, about 20 methods), over a class it runs precompiled shared code; options
/// hold few records, so the allocations do not show.
/// </summary>
internal sealed record WireRecord(int Number, WireType Type, ulong Value, int Start, int Length);

internal static class WireReader
{
    /// <summary>Splits a message into records; false on malformed input.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, List<WireRecord> records)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            if (!TryReadVarint(data, ref pos, out var tag))
            {
                return false;
            }

            var number = (int)(tag >> 3);
            var type = (WireType)(tag & 7);
            if (number <= 0)
            {
                return false;
            }

            switch (type)
            {
                case WireType.Varint:
                    if (!TryReadVarint(data, ref pos, out var v))
                    {
                        return false;
                    }

                    records.Add(new WireRecord(number, type, v, 0, 0));
                    break;
                case WireType.Fixed64:
                    if (pos + 8 > data.Length)
                    {
                        return false;
                    }

                    records.Add(new WireRecord(number, type, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[pos..]), 0, 0));
                    pos += 8;
                    break;
                case WireType.Fixed32:
                    if (pos + 4 > data.Length)
                    {
                        return false;
                    }

                    records.Add(new WireRecord(number, type, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]), 0, 0));
                    pos += 4;
                    break;
                case WireType.LengthDelimited:
                    if (!TryReadVarint(data, ref pos, out var len) || len > (ulong)(data.Length - pos))
                    {
                        return false;
                    }

                    records.Add(new WireRecord(number, type, 0, pos, (int)len));
                    pos += (int)len;
                    break;
                case WireType.StartGroup:
                    {
                        var start = pos;
                        if (!SkipGroup(data, ref pos, number, 0))
                        {
                            return false;
                        }

                        // the payload excludes the end tag
                        records.Add(new WireRecord(number, type, 0, start, pos - start - TagSize(number)));
                        break;
                    }

                default:
                    return false;
            }
        }

        return true;
    }

    private static int TagSize(int number)
    {
        var tag = ((ulong)(uint)number << 3) | 4;
        var n = 1;
        while (tag >= 0x80)
        {
            tag >>= 7;
            n++;
        }

        return n;
    }

    private static bool SkipGroup(ReadOnlySpan<byte> data, ref int pos, int number, int depth)
    {
        if (depth > 100)
        {
            return false;
        }

        while (pos < data.Length)
        {
            if (!TryReadVarint(data, ref pos, out var tag))
            {
                return false;
            }

            var type = (WireType)(tag & 7);
            switch (type)
            {
                case WireType.Varint:
                    if (!TryReadVarint(data, ref pos, out _))
                    {
                        return false;
                    }

                    break;
                case WireType.Fixed64:
                    pos += 8;
                    break;
                case WireType.Fixed32:
                    pos += 4;
                    break;
                case WireType.LengthDelimited:
                    if (!TryReadVarint(data, ref pos, out var len) || len > (ulong)(data.Length - pos))
                    {
                        return false;
                    }

                    pos += (int)len;
                    break;
                case WireType.StartGroup:
                    if (!SkipGroup(data, ref pos, (int)(tag >> 3), depth + 1))
                    {
                        return false;
                    }

                    break;
                case WireType.EndGroup:
                    return (int)(tag >> 3) == number;
                default:
                    return false;
            }
        }

        return false;
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length)
            {
                return false;
            }

            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
