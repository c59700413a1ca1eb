using System.Diagnostics;

namespace Kiln.Cli.Tests;

/// <summary>protoc, grpc_csharp_plugin and google-proto-files where scripts/peers/protobuf.sh puts them (or KILN_PROTOC / KILN_PROTO_CORPUS).</summary>
internal static class ProtocPeers
{
    private static string Cache => Environment.GetEnvironmentVariable("KILN_CACHE") is { Length: > 0 } c
        ? c
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kiln");

    private static string Tools => Path.Combine(Cache, "nuget", "grpc.tools", "2.85.0", "tools", "linux_x64");

    public static string Protoc => Environment.GetEnvironmentVariable("KILN_PROTOC") is { Length: > 0 } p ? p : Path.Combine(Tools, "protoc");

    public static string GrpcPlugin => Path.Combine(Path.GetDirectoryName(Protoc)!, "grpc_csharp_plugin");

    public static string Corpus => Environment.GetEnvironmentVariable("KILN_PROTO_CORPUS") is { Length: > 0 } p ? p : Path.Combine(Cache, "google-proto-files", "package");

    public static void Require()
    {
        Assert.True(File.Exists(Protoc), $"protoc not found at {Protoc}: run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)");
        Assert.True(File.Exists(GrpcPlugin), $"grpc_csharp_plugin not found at {GrpcPlugin}: run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)");
        Assert.True(Directory.Exists(Path.Combine(Corpus, "google")), $"google-proto-files not found at {Corpus}: run scripts/setup-peers.sh (or scripts/peers/protobuf.sh)");
    }

    /// <summary>Every corpus .proto file (virtual paths), sorted.</summary>
    public static List<string> CorpusFiles() => Directory.GetFiles(Corpus, "*.proto", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Corpus, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static (int ExitCode, string StdErr) RunProtoc(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Protoc) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
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
