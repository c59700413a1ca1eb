using System.Diagnostics;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>
/// protoc 35.1, its well-known types and google-proto-files where scripts/peers/protobuf.sh puts
/// them, under <c>${KILN_CACHE:-~/.cache/kiln}</c> (or <c>KILN_PROTOC</c> / <c>KILN_PROTO_CORPUS</c>).
/// </summary>
internal static class CorpusPeers
{
    public static string Cache => Environment.GetEnvironmentVariable("KILN_CACHE") is { Length: > 0 } c
        ? c
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kiln");

    private static string Tools => Path.Combine(Cache, "nuget", "grpc.tools", "2.85.0", "tools", "linux_x64");

    public static string Protoc => Environment.GetEnvironmentVariable("KILN_PROTOC") is { Length: > 0 } p ? p : Path.Combine(Tools, "protoc");

    /// <summary>The well-known types shipped with protoc (Grpc.Tools' <c>build/native/include</c>, next to <c>tools/</c>).</summary>
    public static string Include => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Protoc)!, "..", "..", "build", "native", "include"));

    public static string Corpus => Environment.GetEnvironmentVariable("KILN_PROTO_CORPUS") is { Length: > 0 } p ? p : Path.Combine(Cache, "google-proto-files", "package");

    /// <summary>Where protoc's C# output is cached (built once, see <see cref="CSharpReference"/>).</summary>
    public static string ReferenceRoot => Path.Combine(Cache, "reference", "csharp-35.1");

    public static void Require()
    {
        const string Fix = "run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)";
        Assert.True(File.Exists(Protoc), $"protoc not found at {Protoc}: {Fix}");
        Assert.True(Directory.Exists(Path.Combine(Include, "google", "protobuf")), $"well-known types not found at {Include}: {Fix}");
        Assert.True(Directory.Exists(Path.Combine(Corpus, "google")), $"google-proto-files not found at {Corpus}: {Fix}");
    }

    /// <summary>Every <c>.proto</c> under <paramref name="root"/> (virtual paths, <c>/</c>-separated), sorted ordinally.</summary>
    public static List<string> ProtoFiles(string root, SearchOption depth = SearchOption.AllDirectories) =>
        Directory.GetFiles(root, "*.proto", depth)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Runs protoc in <paramref name="workingDirectory"/>; its exit code and standard error.</summary>
    public static (int ExitCode, string StdErr) RunProtoc(string workingDirectory, IEnumerable<string> args)
    {
        var (code, _, stderr) = Run(workingDirectory, args);
        return (code, stderr);
    }

    /// <summary>Runs protoc; its exit code and standard output.</summary>
    public static (int ExitCode, string StdOut) RunProtocStdout(IEnumerable<string> args)
    {
        var (code, stdout, _) = Run(Directory.GetCurrentDirectory(), args);
        return (code, stdout);
    }

    private static (int ExitCode, string StdOut, string StdErr) Run(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Protoc)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
