using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Build;

/// <summary>Reads source files from disk the way the compilers need them: whole, decoded once.</summary>
public static class TextFile
{
    /// <summary>
    /// The text of a file, decoded as <see cref="File.ReadAllText(string)"/> decodes it (a UTF-8,
    /// UTF-16 or UTF-32 byte-order mark picks the encoding and is dropped; otherwise UTF-8, invalid
    /// bytes becoming U+FFFD), but with one read into a pooled buffer and one string allocated:
    /// <see cref="File.ReadAllText(string)"/> goes through a reader, a builder and their buffers,
    /// which was an eighth of everything a whole-corpus protoc run allocated.
    /// </summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static string ReadAllText(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path}: the file is too large ({length} bytes)");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
        try
        {
            var count = ReadFully(handle, ref buffer);
            return Decode(buffer.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes file bytes as <see cref="File.ReadAllText(string)"/> would.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        // Longest marks first: UTF-32 LE's mark starts with UTF-16 LE's.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetString(bytes[4..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(bytes[4..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads until the end of the file (it may have grown since its length was taken: the rest is read too).</summary>
    private static int ReadFully(SafeFileHandle handle, ref byte[] buffer)
    {
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.CopyTo(larger, 0);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = RandomAccess.Read(handle, buffer.AsSpan(count), count);
            if (read == 0)
            {
                return count;
            }

            count += read;
        }
    }
}
