using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Kiln.Build;

/// <summary>
/// Writes generated files so that a build interrupted at any moment leaves each file either
/// old or new (write to a temporary file beside it, then rename over), and so that an
/// unchanged file keeps its bytes and timestamp (MSBuild and IDEs then do not rebuild).
/// </summary>
public static class OutputWriter
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8; returns false if the file already had exactly these bytes.</summary>
    /// <remarks>
    /// A full generation writes tens of thousands of files (gigabytes), so this encodes into a
    /// pooled buffer instead of a new array per file, and reads the old file back only when its
    /// length already matches.
    /// </remarks>
    public static bool WriteIfChanged(string path, string text) => WriteIfChanged(path, text, knownFolders: null);

    /// <param name="knownFolders">
    /// Folders this build already made sure exist, shared across calls so that a build writing
    /// thousands of files into a few folders does not ask the file system for each one again.
    /// </param>
    public static bool WriteIfChanged(string path, string text, ConcurrentDictionary<string, byte>? knownFolders)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteIfChanged(path, text.AsSpan(), knownFolders);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (a generator's buffer, never made a string).</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<char> text, ConcurrentDictionary<string, byte>? knownFolders)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(s_utf8.GetByteCount(text));
        try
        {
            var length = s_utf8.GetBytes(text, buffer);
            return WriteIfChanged(path, [buffer.AsMemory(0, length)], knownFolders);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static bool WriteIfChanged(string path, byte[] bytes) => WriteIfChanged(path, [bytes], knownFolders: null);

    /// <summary>
    /// Writes the concatenation of <paramref name="segments"/> (one system call), unless the file
    /// already holds exactly those bytes. A descriptor set is written as its files' bytes without
    /// being joined into one large buffer first.
    /// </summary>
    public static bool WriteIfChanged(string path, ReadOnlyMemory<byte>[] segments, ConcurrentDictionary<string, byte>? knownFolders = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        long length = 0;
        foreach (var segment in segments)
        {
            length += segment.Length;
        }

        var info = new FileInfo(path);
        var exists = info.Exists;
        if (exists && info.Length == length && HasBytes(path, segments, length))
        {
            return false;
        }

        if (!exists)
        {
            // An existing file proves its folder exists; only a new file may need one.
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (knownFolders is null || !knownFolders.ContainsKey(folder))
            {
                Directory.CreateDirectory(folder);
                knownFolders?.TryAdd(folder, 0);
            }
        }

        ReplaceAtomically(path, segments);
        return true;
    }

    /// <summary>
    /// Puts the concatenation of <paramref name="segments"/> at <paramref name="path"/> so that a
    /// reader, or a process killed at any moment, sees the old file or the new one, never a part:
    /// a temporary file beside it (<c>NAME.PID.GUID.tmp</c>), one positioned write, then a rename
    /// over. The folder must exist. Generated files, cache entries and the build state all go
    /// through here.
    /// </summary>
    public static void ReplaceAtomically(string path, ReadOnlyMemory<byte>[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Replace(path, temporary =>
        {
            // The name is new, so CreateNew (no truncation), and one positioned write (no seek):
            // each system call saved is saved once per generated file. One segment is written as
            // a span: the list overload is framework code over a struct, compiled by the JIT in
            // every new process (an MSBuild build's).
            using var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (segments.Length == 1)
            {
                RandomAccess.Write(handle, segments[0].Span, fileOffset: 0);
            }
            else
            {
                RandomAccess.Write(handle, segments, fileOffset: 0);
            }
        });
    }

    /// <summary>
    /// <see cref="ReplaceAtomically(string, ReadOnlyMemory{byte}[])"/> for content
    /// written as a stream (<paramref name="write"/> writes it to the temporary file, through a
    /// 64 KiB buffer), so that a large file needs no buffer of its size.
    /// </summary>
    public static void ReplaceAtomically(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Replace(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            write(file);
        });
    }

    /// <summary>Makes the temporary file beside <paramref name="path"/> with <paramref name="write"/>, then renames it over the path.</summary>
    private static void Replace(string path, Action<string> write)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var moved = false;
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
            moved = true;
        }
        finally
        {
            // Only a failed write or move leaves the temporary file behind.
            if (!moved && File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> holds exactly the <paramref name="segments"/>
    /// (<paramref name="length"/> bytes, the file's length), compared a block at a time: a descriptor
    /// set of the whole google-proto-files corpus is 60 MB, and a buffer that size is a large-object
    /// allocation (as a block of 1 MiB for a small file was).
    /// </summary>
    private static bool HasBytes(string path, ReadOnlyMemory<byte>[] segments, long length)
    {
        const int BlockSize = 1 << 20;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BlockSize, length + 1));
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long offset = 0;
            foreach (var segment in segments)
            {
                var bytes = segment.Span;
                var done = 0;
                while (done < bytes.Length)
                {
                    var read = RandomAccess.Read(handle, buffer.AsSpan(0, Math.Min(bytes.Length - done, BlockSize)), offset);
                    if (read == 0 || !buffer.AsSpan(0, read).SequenceEqual(bytes.Slice(done, read)))
                    {
                        return false;
                    }

                    done += read;
                    offset += read;
                }
            }

            // The file may have grown since the length check: one more byte means different.
            return RandomAccess.Read(handle, buffer.AsSpan(0, 1), offset) == 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Joins <paramref name="root"/> and a relative path that came from IDL content, or returns
    /// null if the result would leave <paramref name="root"/> (<c>..</c>, rooted paths).
    /// </summary>
    public static string? ContainedPath(string root, string relative)
    {
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        var prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }
}
