using System.Diagnostics;

namespace Kiln.Protobuf.Tests;

/// <summary>Where scripts/peers/protobuf.sh put protoc and the corpus (or KILN_PROTOC / KILN_PROTO_CORPUS).</summary>
internal static class Peers
{
    public static string Cache => Environment.GetEnvironmentVariable("KILN_CACHE") is { Length: > 0 } c
        ? c
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kiln");

    private static string ToolsRoot => Path.Combine(Cache, "nuget", "grpc.tools", "2.85.0");

    public static string Protoc => Environment.GetEnvironmentVariable("KILN_PROTOC") is { Length: > 0 } p ? p : Path.Combine(ToolsRoot, "tools", "linux_x64", "protoc");

    public static string WellKnownInclude => Path.Combine(ToolsRoot, "build", "native", "include");

    public static string Corpus => Environment.GetEnvironmentVariable("KILN_PROTO_CORPUS") is { Length: > 0 } p ? p : Path.Combine(Cache, "google-proto-files", "package");

    public static string RequireProtoc()
    {
        Assert.True(File.Exists(Protoc), $"protoc not found at {Protoc}: run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)");
        return Protoc;
    }

    public static string RequireCorpus()
    {
        Assert.True(Directory.Exists(Path.Combine(Corpus, "google")), $"google-proto-files not found at {Corpus}: run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)");
        return Corpus;
    }

    public static (int ExitCode, string StdErr) Run(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(RequireProtoc())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}
