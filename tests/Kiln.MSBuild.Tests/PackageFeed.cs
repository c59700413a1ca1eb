using System.Diagnostics;
using System.Text;

[assembly: AssemblyFixture(typeof(Kiln.MSBuild.Tests.PackageFeed))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Kiln.MSBuild.Tests;

/// <summary>
/// Packs Kiln.MSBuild once per test run into a local folder feed, under a version of its own (so
/// NuGet's global package folder never serves an older build of the same version), and runs real
/// <c>dotnet</c> commands on copies of the sample projects in a temporary folder.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Where this run's feed, sample copies and pack output live.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "kiln-msbuild-tests", DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Environment.ProcessId);

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // One artifacts folder across runs on a machine: the second pack is incremental.
        var artifacts = Path.Combine(Path.GetTempPath(), "kiln-msbuild-tests", "artifacts");
        var result = await RunAsync(
            RepositoryRoot,
            "pack", Path.Combine(RepositoryRoot, "src", "Kiln.MSBuild", "Kiln.MSBuild.csproj"),
            "-c", "Release", "-o", Feed, $"-p:PackageVersion={Version}", "--artifacts-path", artifacts, "-nodeReuse:false");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + result.Output);
        }
    }

    public ValueTask DisposeAsync()
    {
        TryDelete(Root);
        // The run's own version of the package in NuGet's global folder, after the build servers
        // its task assemblies started have stopped.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(packages, "kiln.msbuild", Version.ToLowerInvariant());
        StopBuildServers(package);
        TryDelete(package);
        return ValueTask.CompletedTask;
    }

    /// <summary>Tells the build server of each task assembly in <paramref name="package"/> (the IL one and the ReadyToRun ones) to stop.</summary>
    public static int StopBuildServers(string package)
    {
        var stopped = 0;
        var tasks = Path.Combine(package, "tasks");
        if (!Directory.Exists(tasks))
        {
            return 0;
        }

        foreach (var assembly in Directory.EnumerateFiles(tasks, "Kiln.MSBuild.dll", SearchOption.AllDirectories))
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var moduleId = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            stopped += BuildServerClient.Shutdown(BuildServer.PipeName(Path.GetFullPath(assembly), moduleId)) ? 1 : 0;
        }

        return stopped;
    }

    /// <summary>
    /// Copies a sample (tests/Kiln.MSBuild.Tests/Samples/NAME) to a new folder with a NuGet.config
    /// that adds the local feed to the machine's sources, empty Directory.Build files (nothing
    /// from a folder above leaks in) and <c>KilnVersion</c> set to this run's package.
    /// </summary>
    public string CopySample(string name, string? caseName = null)
    {
        var caseRoot = Path.Combine(Root, caseName ?? name);
        Directory.CreateDirectory(caseRoot);
        File.WriteAllText(Path.Combine(caseRoot, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="kiln-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(caseRoot, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <KilnVersion>{Version}</KilnVersion>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(caseRoot, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(caseRoot, "Directory.Packages.props"), "<Project />");
        var source = Path.Combine(RepositoryRoot, "tests", "Kiln.MSBuild.Tests", "Samples", name);
        var target = Path.Combine(caseRoot, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/> and returns its exit code and output (stdout and stderr).</summary>
    public static async Task<CommandResult> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings must not reach the child build.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MSBUILD", StringComparison.Ordinal) || key == "DOTNET_HOST_PATH")
            {
                start.Environment.Remove(key);
            }
        }

        // Build servers the tests start stop two minutes after their last build at the latest
        // (DisposeAsync stops them at once).
        start.Environment["Kiln_ServerIdleTimeout"] = "120";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 4 minutes:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new CommandResult(process.ExitCode, output.ToString());
        }
    }

    private static string FindRepositoryRoot()
    {
        var built = typeof(PackageFeed).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Kiln.slnx")))
        {
            return built;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kiln.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Kiln.slnx not found above " + AppContext.BaseDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}

public sealed record CommandResult(int ExitCode, string Output);
