using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Kiln.Build.Workspace;

/// <summary>
/// The files generated for one input, as UTF-8 bytes in pooled arrays (generated C# is large, and
/// one array per file would be a large-object allocation apiece), with their full paths. Either
/// encoded from generator text or decoded from a cache entry; <see cref="Dispose"/> returns the
/// arrays. The cache payload is the paths and lengths first, then the bytes of each file.
/// </summary>
internal sealed class GeneratedOutputs : IDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<GeneratedBytes> _files = [];
    private readonly List<byte[]> _rented = [];

    public int Count => _files.Count;

    public GeneratedBytes this[int index] => _files[index];

    /// <summary>Adds a file, encoding <paramref name="text"/> as UTF-8 into a pooled array.</summary>
    public void Add(string path, ReadOnlySpan<char> text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, s_utf8.GetMaxByteCount(text.Length)));
        _rented.Add(buffer);
        var length = s_utf8.GetBytes(text, buffer);
        _files.Add(new GeneratedBytes(path, buffer.AsMemory(0, length)));
    }

    /// <summary>The outputs stored under <paramref name="key"/>, or null when the entry is absent or not intact.</summary>
    public static GeneratedOutputs? FromCache(ArtifactCache cache, Hash128 key)
    {
        if (cache.TryGetRented(key, out var payload, out var length) is false)
        {
            return null;
        }

        var outputs = new GeneratedOutputs();
        outputs._rented.Add(payload);
        try
        {
            var span = payload.AsSpan(0, length);
            var count = BinaryPrimitives.ReadInt32LittleEndian(span);
            var position = 4;
            var entries = new (string Path, int Length)[count];
            for (var i = 0; i < count; i++)
            {
                var pathLength = BinaryPrimitives.ReadInt32LittleEndian(span[position..]);
                var path = s_utf8.GetString(span.Slice(position + 4, pathLength));
                position += 4 + pathLength;
                entries[i] = (path, BinaryPrimitives.ReadInt32LittleEndian(span[position..]));
                position += 4;
            }

            foreach (var (path, fileLength) in entries)
            {
                if (fileLength < 0 || position + fileLength > length)
                {
                    outputs.Dispose();
                    return null;
                }

                outputs._files.Add(new GeneratedBytes(path, payload.AsMemory(position, fileLength)));
                position += fileLength;
            }

            if (position != length)
            {
                outputs.Dispose();
                return null;
            }

            return outputs;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or DecoderFallbackException or OverflowException or IndexOutOfRangeException)
        {
            // The checksum matched, so this is a payload of another layout: not ours to trust.
            outputs.Dispose();
            return null;
        }
    }

    /// <summary>Stores these outputs under <paramref name="key"/> (the header, then each file's bytes, without joining them).</summary>
    public void Store(ArtifactCache cache, Hash128 key)
    {
        var headerLength = 4;
        foreach (var (path, _) in _files)
        {
            headerLength += 8 + s_utf8.GetByteCount(path);
        }

        var header = ArrayPool<byte>.Shared.Rent(headerLength);
        try
        {
            var span = header.AsSpan(0, headerLength);
            BinaryPrimitives.WriteInt32LittleEndian(span, _files.Count);
            var position = 4;
            foreach (var (path, bytes) in _files)
            {
                var pathLength = s_utf8.GetBytes(path, span[(position + 4)..]);
                BinaryPrimitives.WriteInt32LittleEndian(span[position..], pathLength);
                position += 4 + pathLength;
                BinaryPrimitives.WriteInt32LittleEndian(span[position..], bytes.Length);
                position += 4;
            }

            var segments = new ReadOnlyMemory<byte>[_files.Count + 1];
            segments[0] = header.AsMemory(0, headerLength);
            for (var i = 0; i < _files.Count; i++)
            {
                segments[i + 1] = _files[i].Bytes;
            }

            cache.Put(key, segments);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in _rented)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _rented.Clear();
        _files.Clear();
    }
}

/// <summary>
/// One generated file's full path and UTF-8 bytes. A class, not a tuple: the framework's lists
/// over a struct holding a <see cref="ReadOnlyMemory{T}"/> are compiled by the JIT in every new
/// process (an MSBuild build's), over a class they run precompiled shared code.
/// </summary>
internal sealed record GeneratedBytes(string Path, ReadOnlyMemory<byte> Bytes);
