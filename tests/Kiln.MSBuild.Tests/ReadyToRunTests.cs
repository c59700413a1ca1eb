using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Kiln.MSBuild.Tests;

/// <summary>
/// The package carries, besides the IL task assemblies, a precompiled (ReadyToRun) set per runtime,
/// and the props load the one of the machine MSBuild runs on.
/// </summary>
public sealed class ReadyToRunTests(PackageFeed feed)
{
    // crossgen2 marks an image's target OS by XOR-ing the machine type with a constant per OS.
    [Theory]
    [InlineData("linux-x64", (ushort)(0x8664 ^ 0x7B79))]
    [InlineData("linux-arm64", (ushort)(0xAA64 ^ 0x7B79))]
    [InlineData("osx-arm64", (ushort)(0xAA64 ^ 0x4644))]
    [InlineData("win-x64", (ushort)0x8664)]
    public void Each_runtimes_set_is_precompiled_for_it_and_the_IL_set_is_not(string rid, ushort machine)
    {
        using var package = ZipFile.OpenRead(Path.Combine(feed.Feed, $"Kiln.MSBuild.{feed.Version}.nupkg"));
        var il = Image(package, "tasks/net10.0/Kiln.Protobuf.dll");
        Assert.Equal(0, il.CorHeader!.ManagedNativeHeaderDirectory.Size);
        foreach (var assembly in new[] { "Kiln.MSBuild.dll", "Kiln.Protobuf.dll", "Kiln.Build.dll", "Google.Protobuf.dll" })
        {
            var image = Image(package, $"tasks/net10.0/{rid}/{assembly}");
            Assert.True(image.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{rid}/{assembly} is not ReadyToRun");
            Assert.Equal(machine, (ushort)image.CoffHeader.Machine);
        }
    }

    [Fact]
    public async Task The_props_take_this_machines_set_unless_told_not_to()
    {
        var project = feed.CopySample("GrpcService", "ReadyToRun");
        var restore = await PackageFeed.RunAsync(project, "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.Output);
        var rid = (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var chosen = await PackageFeed.RunAsync(project, "msbuild", "-nodeReuse:false", "-getProperty:Kiln_TaskAssembly");
        Assert.True(chosen.ExitCode == 0, chosen.Output);
        var packaged = rid is "linux-x64" or "linux-arm64" or "osx-arm64" or "win-x64";
        Assert.EndsWith(packaged ? $"net10.0/{rid}/Kiln.MSBuild.dll" : "net10.0/Kiln.MSBuild.dll", chosen.Output.Trim().Replace('\\', '/'), StringComparison.Ordinal);
        var il = await PackageFeed.RunAsync(project, "msbuild", "-nodeReuse:false", "-getProperty:Kiln_TaskAssembly", "-p:Kiln_ReadyToRun=false");
        Assert.EndsWith("tasks/net10.0/Kiln.MSBuild.dll", il.Output.Trim().Replace('\\', '/'), StringComparison.Ordinal);
    }

    private static PEHeaders Image(ZipArchive package, string path)
    {
        var entry = package.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"the package has no {path}");
        using var stream = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(stream);
        }

        stream.Position = 0;
        using var reader = new PEReader(stream);
        return reader.PEHeaders;
    }
}
