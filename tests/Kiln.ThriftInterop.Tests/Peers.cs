using System.Diagnostics;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// The peer compiler (<c>thrift</c> 0.17) and the thriftrw test corpus, both installed by
/// <c>scripts/setup-peers.sh</c>. A missing peer fails the test that needs it, naming the script.
/// </summary>
internal static class Peers
{
    public const string SetupHint = "Run scripts/setup-peers.sh: it installs thrift 0.17 (Debian's thrift-compiler) and the thriftrw npm corpus under ~/.cache/kiln/thriftrw/package/test/.";

    public static string CacheDirectory => Environment.GetEnvironmentVariable("KILN_CACHE") is { Length: > 0 } cache
        ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kiln");

    /// <summary>The thriftrw <c>test/</c> folder; throws (failing the test) when it is not installed.</summary>
    public static string CorpusRoot
    {
        get
        {
            var root = Path.Combine(CacheDirectory, "thriftrw", "package", "test");
            if (!Directory.Exists(root) || !File.Exists(Path.Combine(root, "thrift", "ThriftTest.thrift")))
            {
                throw new InvalidOperationException($"The thriftrw corpus is missing (no {root}/thrift/ThriftTest.thrift). {SetupHint}");
            }

            return root;
        }
    }

    public static string ThriftTestIdl => Path.Combine(CorpusRoot, "thrift", "ThriftTest.thrift");

    /// <summary>The <c>thrift</c> executable; throws (failing the test) when it is not on the PATH.</summary>
    public static string Thrift
    {
        get
        {
            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(directory, "thrift");
                if (directory.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException($"The thrift compiler is not on the PATH. {SetupHint}");
        }
    }

    /// <summary>The corpus files, relative to the root, '/'-separated, sorted.</summary>
    public static IReadOnlyList<string> CorpusFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*.thrift", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Runs <c>thrift --gen netstd [-r] -out DIR FILE</c>; returns the exit code and what it printed.</summary>
    public static (int ExitCode, string Output) RunThrift(string file, string outputDirectory, bool recursive) =>
        RunThrift(recursive
            ? ["--gen", "netstd", "-r", "-out", outputDirectory, file]
            : ["--gen", "netstd", "-out", outputDirectory, file], outputDirectory);

    /// <summary>Runs <c>thrift</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns the exit code and what it printed (stdout, then stderr).</summary>
    public static (int ExitCode, string Output) RunThrift(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(Thrift)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "thrift timed out after 60 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
