using System.Diagnostics;
using Kiln.CSharp.Netstd;

namespace Kiln.CSharp.Tests;

/// <summary>The real thrift 0.17 compiler, run on a <c>TestData/</c> IDL to compare its netstd output with Kiln's.</summary>
internal static class ThriftPeer
{
    /// <summary>thrift's generated files for <c>TestData/{name}.thrift</c>, with <c>--gen {gen}</c>; fails the test if thrift is missing or fails.</summary>
    public static List<GeneratedFile> Generate(string name, string gen)
    {
        var thriftPath = Find() ?? throw new InvalidOperationException(
            "The thrift 0.17 compiler is not installed, so Kiln cannot be checked against it. " +
            "Run scripts/setup-peers.sh (scripts/peers/thrift.sh installs Debian's thrift-compiler).");

        var idl = Path.Combine(GoldenFiles.Directory, name + ".thrift");
        var output = Directory.CreateTempSubdirectory("kiln-peer-");
        try
        {
            using (var process = Process.Start(new ProcessStartInfo(thriftPath, ["--gen", gen, "-out", output.FullName, idl])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!)
            {
                var errors = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, "thrift failed: " + errors);
            }

            return Directory.GetFiles(output.FullName, "*.cs", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(path => new GeneratedFile(Path.GetRelativePath(output.FullName, path), File.ReadAllText(path)))
                .ToList();
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "thrift");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
