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
    /// <summary>An entry's first bytes: "KLNC" and the format's version (3: the checksum is xxHash64, precompiled on every CPU; xxHash3's vector code is not).</summary>
    private static readonly byte[] s_magic = "KLNC\u0003\0\0\0"u8.ToArray();
    private const int HeaderSize = 8 + 4 + 8;

    public string Directory { get; } = directory;

    private long _hits, _misses, _corrupt, _written;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries found but not trusted (bad header, length or checksum); each counts as a miss too.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    public long Written => Interlocked.Read(ref _written);

    public string PathOf(Hash128 key)
    {
        var hex = key.ToString();
        return Path.Combine(Directory, hex[..2], hex + ".kc");
    }

    /// <summary>
    /// The payload stored under <paramref name="key"/> in a pooled array (the caller returns it to
    /// <see cref="ArrayPool{T}.Shared"/>); false when absent, unreadable or not intact.
    /// </summary>
    public bool TryGetRented(Hash128 key, out byte[] payload, out int length)
    {
        payload = [];
        length = 0;
        var path = PathOf(key);
        byte[] raw;
        int rawLength;
        if (!File.Exists(path))
        {
            // A miss is the common case of a cold build: one stat, not an exception.
            Interlocked.Increment(ref _misses);
            return false;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var size = RandomAccess.GetLength(handle);
            if (size > int.MaxValue)
            {
                return RejectCorrupt(path);
            }

            rawLength = (int)size;
            raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, rawLength));
            var read = 0;
            while (read < rawLength)
            {
                var n = RandomAccess.Read(handle, raw.AsSpan(read, rawLength - read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            rawLength = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _misses);
            return false;
        }

        try
        {
            if (Decode(raw.AsSpan(0, rawLength), out payload, out length))
            {
                Interlocked.Increment(ref _hits);
                return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }

        return RejectCorrupt(path);
    }

    private bool RejectCorrupt(string path)
    {
        Interlocked.Increment(ref _corrupt);
        Interlocked.Increment(ref _misses);
        TryDelete(path);
        return false;
    }

    /// <summary>Stores the concatenation of <paramref name="segments"/>; a failure to write (disk full, no permission) only loses the entry.</summary>
    public void Put(Hash128 key, ReadOnlyMemory<byte>[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var path = PathOf(key);
        if (!Encode(segments, out var buffer, out var written))
        {
            return;
        }

        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            OutputWriter.ReplaceAtomically(path, [buffer.AsMemory(0, written)]);
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

    /// <summary>
    /// Encodes <paramref name="sample"/> as an entry and throws the bytes away: a new process's
    /// first entry then does not pay for loading the compressor (a warm-up, run beside a build).
    /// </summary>
    public static void WarmUp(ReadOnlySpan<byte> sample)
    {
        if (Encode([sample.ToArray()], out var buffer, out _))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An entry of the concatenation of <paramref name="segments"/> in a pooled buffer (the caller returns it); false, and nothing rented, when it cannot be encoded.</summary>
    private static bool Encode(ReadOnlyMemory<byte>[] segments, out byte[] buffer, out int written)
    {
        long total = 0;
        var checksum = new XxHash64();
        foreach (var segment in segments)
        {
            total += segment.Length;
            checksum.Append(segment.Span);
        }

        buffer = [];
        written = 0;
        if (total > 1 << 30)
        {
            return false;
        }

        buffer = ArrayPool<byte>.Shared.Rent(HeaderSize + BrotliEncoder.GetMaxCompressedLength((int)total));
        s_magic.CopyTo(buffer, 0);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), (int)total);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(12), checksum.GetCurrentHashAsUInt64());
        using var encoder = new BrotliEncoder(quality: 1, window: 22);
        written = HeaderSize;
        for (var i = 0; i < segments.Length; i++)
        {
            var status = encoder.Compress(segments[i].Span, buffer.AsSpan(written), out _, out var produced, isFinalBlock: i == segments.Length - 1);
            written += produced;
            if (status != OperationStatus.Done)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = [];
                return false;
            }
        }

        if (segments.Length == 0)
        {
            encoder.Compress([], buffer.AsSpan(written), out _, out var produced, isFinalBlock: true);
            written += produced;
        }

        return true;
    }

    /// <summary>
    /// The payload of an entry's bytes into a pooled array, unless header, length and checksum
    /// disagree (then false, and nothing is rented).
    /// </summary>
    public static bool Decode(ReadOnlySpan<byte> raw, out byte[] payload, out int length)
    {
        payload = [];
        length = 0;
        if (raw.Length < HeaderSize || !raw[..8].SequenceEqual(s_magic))
        {
            return false;
        }

        var expected = BinaryPrimitives.ReadInt32LittleEndian(raw[8..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(raw[12..]);
        if (expected < 0 || expected > 1 << 30)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, expected));
        if (!BrotliDecoder.TryDecompress(raw[HeaderSize..], buffer.AsSpan(0, expected), out var written) || written != expected
            || XxHash64.HashToUInt64(buffer.AsSpan(0, expected)) != checksum)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        payload = buffer;
        length = expected;
        return true;
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
