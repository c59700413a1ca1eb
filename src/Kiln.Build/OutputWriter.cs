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
    public static bool WriteIfChanged(string path, string text) => WriteIfChanged(path, s_utf8.GetBytes(text));

    public static bool WriteIfChanged(string path, byte[] bytes)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return true;
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
