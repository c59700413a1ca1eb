using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Kiln.Build.Workspace;

/// <summary>
/// The on-disk artifact cache: content-addressed entries (a 128-bit xxHash key names the file
/// <c>CACHE/ab/abcdef….kc</c>), each a header, the payload's length and xxHash64, and the payload
/// compressed with Brotli (the BCL's codec, at its fastest setting: entries are written on
/// every cold build). An entry is written to a temporary file and renamed into place, so a
/// reader sees a whole entry or none; and every read checks the magic, the length and the
/// checksum, so an entry that is truncated or corrupt (a killed build, a bad disk, a stray
/// edit) reads as a miss and is rebuilt, never trusted.
/// </summary>
public sealed class ArtifactCache(string directory)
{
    private static readonly byte[] s_magic = "KLNC\u0001\0\0\0"u8.ToArray();
    private const int HeaderSize = 8 + 4 + 8;

    public string Directory { get; } = directory;

    private long _hits, _misses, _corrupt, _written;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries found but not trusted (bad header, length or checksum); each counts as a miss too.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    public long Written => Interlocked.Read(ref _written);

    public string PathOf(UInt128 key)
    {
        var hex = key.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine(Directory, hex[..2], hex + ".kc");
    }

    /// <summary>The payload stored under <paramref name="key"/>, or null (absent, unreadable or not intact).</summary>
    public byte[]? TryGet(UInt128 key)
    {
        var path = PathOf(key);
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _misses);
            return null;
        }

        if (Decode(raw) is { } payload)
        {
            Interlocked.Increment(ref _hits);
            return payload;
        }

        Interlocked.Increment(ref _corrupt);
        Interlocked.Increment(ref _misses);
        TryDelete(path);
        return null;
    }

    /// <summary>Stores <paramref name="payload"/>; a failure to write (disk full, no permission) only loses the entry.</summary>
    public void Put(UInt128 key, ReadOnlySpan<byte> payload)
    {
        var path = PathOf(key);
        var bound = HeaderSize + BrotliEncoder.GetMaxCompressedLength(payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            s_magic.CopyTo(buffer, 0);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), payload.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(12), XxHash64.HashToUInt64(payload));
            using var encoder = new BrotliEncoder(quality: 1, window: 22);
            var status = encoder.Compress(payload, buffer.AsSpan(HeaderSize), out _, out var written, isFinalBlock: true);
            if (status != OperationStatus.Done)
            {
                return;
            }

            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, buffer.AsSpan(0, HeaderSize + written), 0);
            }

            File.Move(temporary, path, overwrite: true);
            Interlocked.Increment(ref _written);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimization: an entry that cannot be stored is rebuilt next time.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The payload of an entry's bytes, or null unless header, length and checksum all agree.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < HeaderSize || !raw[..8].SequenceEqual(s_magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(raw[8..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(raw[12..]);
        if (length < 0 || length > 1 << 30)
        {
            return null;
        }

        var payload = new byte[length];
        if (!BrotliDecoder.TryDecompress(raw[HeaderSize..], payload, out var written) || written != length
            || XxHash64.HashToUInt64(payload) != checksum)
        {
            return null;
        }

        return payload;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
