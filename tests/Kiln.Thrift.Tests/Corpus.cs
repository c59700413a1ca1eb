using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Kiln.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.Thrift.Tests;

/// <summary>
/// The thriftrw package's test IDLs (Apache Thrift's test files plus deliberately broken ones),
/// installed by <c>scripts/setup-peers.sh</c>, and thrift 0.17's verdict on each.
/// </summary>
internal static class Corpus
{
    public const string SetupHint = "The Thrift corpus is missing: run scripts/setup-peers.sh (it runs scripts/peers/thrift.sh, which fetches the thriftrw npm package and installs thrift-compiler).";

    public static string CacheDirectory => Environment.GetEnvironmentVariable("KILN_CACHE") is { Length: > 0 } cache
        ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kiln");

    /// <summary>The folder of the corpus, or null when it is not installed.</summary>
    public static string? Root
    {
        get
        {
            var root = Path.Combine(CacheDirectory, "thriftrw", "package", "test");
            return Directory.Exists(root) && Directory.EnumerateFiles(root, "*.thrift", SearchOption.AllDirectories).Any() ? root : null;
        }
    }

    public static string RequireRoot() => Root ?? throw new InvalidOperationException(SetupHint);

    /// <summary>Paths relative to the root, '/'-separated, sorted.</summary>
    public static IReadOnlyList<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*.thrift", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Compiles a corpus file as thrift would: includes relative to the including file.</summary>
    public static ThriftCompilation Compile(string root, string relativePath, Func<string, string>? textOf = null)
    {
        textOf ??= path => File.ReadAllText(Path.Combine(root, path));
        var parsed = ThriftParser.Parse(new SourceText(relativePath, textOf(relativePath)));
        return ThriftCompilation.Create(parsed, (include, from) =>
        {
            if (Path.IsPathRooted(include))
            {
                return null;
            }

            var directory = Path.GetDirectoryName(from) ?? "";
            var candidate = Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, directory, include))).Replace('\\', '/');
            var full = Path.Combine(root, candidate);
            return !candidate.StartsWith("..", StringComparison.Ordinal) && File.Exists(full)
                ? ThriftParser.Parse(new SourceText(candidate, File.ReadAllText(full)))
                : null;
        });
    }

    public static bool ThriftIsInstalled => FindOnPath("thrift") is not null;

    /// <summary>
    /// thrift 0.17's verdict per file: true when <c>thrift --gen netstd</c> accepts it. Cached in
    /// the corpus folder by file content, so a machine without thrift can still use earlier verdicts.
    /// </summary>
    public static Dictionary<string, bool> ThriftVerdicts(string root, IReadOnlyList<string> files)
    {
        var cachePath = Path.Combine(CacheDirectory, "thriftrw", "thrift-0.17-verdicts.txt");
        var cached = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (File.Exists(cachePath))
        {
            foreach (var line in File.ReadAllLines(cachePath))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2)
                {
                    cached[parts[0]] = parts[1] == "accept";
                }
            }
        }

        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        var missing = new List<(string File, string Key)>();
        foreach (var file in files)
        {
            var key = Key(root, file);
            if (cached.TryGetValue(key, out var verdict))
            {
                verdicts[file] = verdict;
            }
            else
            {
                missing.Add((file, key));
            }
        }

        if (missing.Count == 0)
        {
            return verdicts;
        }

        if (!ThriftIsInstalled)
        {
            throw new InvalidOperationException($"thrift is not installed and {missing.Count} verdicts are not cached. {SetupHint}");
        }

        var results = new bool[missing.Count];
        Parallel.For(0, missing.Count, i => results[i] = RunThrift(Path.Combine(root, missing[i].File)));
        for (var i = 0; i < missing.Count; i++)
        {
            verdicts[missing[i].File] = results[i];
            cached[missing[i].Key] = results[i];
        }

        var text = new StringBuilder();
        foreach (var (key, verdict) in cached.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(' ').Append(verdict ? "accept" : "reject").Append('\n');
        }

        var temporary = cachePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, cachePath, overwrite: true);
        return verdicts;
    }

    private static string Key(string root, string file)
    {
        // The verdict depends on the file and on what it includes: hash the whole corpus folder's
        // .thrift texts once would be simplest, but the file's own hash plus its name is enough
        // for a package that changes as a whole.
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, file))))[..16];
        return $"{file}@{hash}";
    }

    private static bool RunThrift(string file)
    {
        var output = Directory.CreateTempSubdirectory("kiln-thrift-peer-");
        try
        {
            var start = new ProcessStartInfo("thrift")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = output.FullName,
            };
            foreach (var argument in new[] { "--gen", "netstd", "-out", output.FullName, file })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            _ = stdout.Result + stderr.Result;
            return process.ExitCode == 0;
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, name)))
            {
                return Path.Combine(directory, name);
            }
        }

        return null;
    }
}
