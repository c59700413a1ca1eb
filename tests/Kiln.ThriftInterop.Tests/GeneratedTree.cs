using Kiln.Build;

namespace Kiln.ThriftInterop.Tests;

/// <summary>One generated C# file: its path relative to the output folder and its text.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>Runs either generator into a fresh temporary folder and reads back what it wrote.</summary>
internal static class GeneratedTree
{
    /// <summary><c>kiln thrift --gen netstd -out DIR FILE</c>, in process. Fails with the diagnostics on errors.</summary>
    public static IReadOnlyList<SourceFile> Kiln(string idl, bool recursive = false)
    {
        var output = Directory.CreateTempSubdirectory("kiln-interop-kiln-");
        try
        {
            var result = ThriftBuild.Run(new ThriftBuildRequest([idl], [], ["netstd"], output.FullName, null, recursive, Verbose: false));
            if (result.HasErrors)
            {
                throw new InvalidOperationException($"Kiln rejected {idl}:\n" + string.Join("\n", result.Diagnostics.Where(d => d.IsError)));
            }

            return Read(output.FullName);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary><c>thrift --gen netstd -out DIR FILE</c>. Fails with thrift's output when it exits with an error.</summary>
    public static IReadOnlyList<SourceFile> Thrift(string idl, bool recursive = false)
    {
        var output = Directory.CreateTempSubdirectory("kiln-interop-thrift-");
        try
        {
            var (exitCode, text) = Peers.RunThrift(idl, output.FullName, recursive);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"thrift rejected {idl} (exit code {exitCode}):\n{text}");
            }

            return Read(output.FullName);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>Runs thrift; false when it rejects the file (a non-zero exit code), else its output.</summary>
    public static bool TryThrift(string idl, bool recursive, out IReadOnlyList<SourceFile> files)
    {
        var output = Directory.CreateTempSubdirectory("kiln-interop-thrift-");
        try
        {
            var (exitCode, _) = Peers.RunThrift(idl, output.FullName, recursive);
            files = exitCode == 0 ? Read(output.FullName) : [];
            return exitCode == 0;
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static List<SourceFile> Read(string root) =>
        [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(path => new SourceFile(Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)))
            .OrderBy(file => file.Path, StringComparer.Ordinal)];
}
