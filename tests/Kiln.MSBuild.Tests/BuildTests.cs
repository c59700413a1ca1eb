using System.Text.RegularExpressions;

namespace Kiln.MSBuild.Tests;

/// <summary>
/// Real <c>dotnet build</c>s of the sample projects with the packed Kiln.MSBuild: they build, run
/// a real RPC over loopback, rebuild incrementally, report IDL errors as MSBuild diagnostics, and
/// generate what Grpc.Tools generates.
/// </summary>
public sealed partial class BuildTests(PackageFeed feed)
{
    private static readonly string[] BuildFlags = ["-nodeReuse:false", "-v:n", "-clp:NoSummary"];

    private static async Task<CommandResult> Dotnet(string directory, params string[] arguments)
    {
        var result = await PackageFeed.RunAsync(directory, arguments);
        return result;
    }

    private static async Task<CommandResult> Build(string directory)
    {
        var result = await Dotnet(directory, ["build", .. BuildFlags]);
        Assert.True(result.ExitCode == 0, "dotnet build failed:\n" + result.Output);
        return result;
    }

    private static Dictionary<string, DateTime> Stamps(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    [Fact]
    public async Task GrpcServiceBuildsCallsOverLoopbackRebuildsIncrementallyAndCleans()
    {
        var project = feed.CopySample("GrpcService");
        var obj = Path.Combine(project, "obj", "Debug", "net10.0");
        var first = await Build(project);
        Assert.Contains("Kiln protobuf: 2 files", first.Output, StringComparison.Ordinal);
        // Grpc.AspNetCore brings Grpc.Tools along; Kiln takes the items over, so protoc never runs.
        Assert.DoesNotContain("--csharp_out", first.Output, StringComparison.Ordinal);
        // Grpc.Tools' paths: OutputDir + the file's folder below ProtoRoot ('.') + protoc's name.
        string[] generated = ["Protos/Greet.cs", "Protos/GreetGrpc.cs", "Protos/Types.cs"];
        foreach (var file in generated)
        {
            Assert.True(File.Exists(Path.Combine(obj, file)), file + " was not generated:\n" + first.Output);
        }

        var run = await Dotnet(project, "bin/Debug/net10.0/GrpcService.dll");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("reply: Hello Kiln (Happy)", run.Output, StringComparison.Ordinal);

        // A no-op build: Kiln finds its state up to date (reads no input), writes nothing and
        // leaves the compiler nothing to do.
        var before = Stamps(obj, "*.cs");
        var noop = await Build(project);
        Assert.Contains("Kiln protobuf: 2 files in 1 groups, up to date (3 outputs)", noop.Output, StringComparison.Ordinal);
        Assert.Contains("Skipping target \"CoreCompile\"", noop.Output, StringComparison.Ordinal);
        Assert.Equal(before, Stamps(obj, "*.cs"));

        // An edit to one file rewrites only the outputs whose bytes changed: greet.proto imports
        // types.proto, but its generated code does not change when an enum value is added there.
        var types = Path.Combine(project, "Protos", "types.proto");
        File.WriteAllText(types, File.ReadAllText(types).Replace("MOOD_HAPPY = 1;", "MOOD_HAPPY = 1;\n  MOOD_SLEEPY = 2;", StringComparison.Ordinal));
        var edit = await Build(project);
        Assert.Contains("1 written", edit.Output, StringComparison.Ordinal);
        var after = Stamps(obj, "*.cs");
        Assert.NotEqual(before[Path.Combine(obj, "Protos", "Types.cs")], after[Path.Combine(obj, "Protos", "Types.cs")]);
        Assert.Equal(before[Path.Combine(obj, "Protos", "Greet.cs")], after[Path.Combine(obj, "Protos", "Greet.cs")]);
        Assert.Equal(before[Path.Combine(obj, "Protos", "GreetGrpc.cs")], after[Path.Combine(obj, "Protos", "GreetGrpc.cs")]);
        Assert.Contains("Sleepy = 2", File.ReadAllText(Path.Combine(obj, "Protos", "Types.cs")), StringComparison.Ordinal);

        // dotnet clean removes the generated files.
        var clean = await Dotnet(project, "clean", "-nodeReuse:false");
        Assert.True(clean.ExitCode == 0, clean.Output);
        foreach (var file in generated)
        {
            Assert.False(File.Exists(Path.Combine(obj, file)), file + " survived dotnet clean");
        }
    }

    [Fact]
    public async Task ADesignTimeBuildSeesTheGeneratedFiles()
    {
        var project = feed.CopySample("GrpcService", "DesignTime");
        var restore = await Dotnet(project, "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.Output);
        // What an IDE asks: the Compile items of a design-time build that does not run csc.
        var result = await Dotnet(project, "msbuild", "-nodeReuse:false", "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true", "-t:Compile", "-getItem:Compile");
        Assert.True(result.ExitCode == 0, result.Output);
        var grpc = Path.Combine(project, "obj", "Debug", "net10.0", "Protos", "GreetGrpc.cs");
        Assert.Contains(grpc, result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(grpc));
    }

    [Fact]
    public async Task ThriftServiceBuildsAndCallsOverLoopback()
    {
        var project = feed.CopySample("ThriftService");
        var first = await Build(project);
        Assert.Contains("Kiln thrift: 2 files", first.Output, StringComparison.Ordinal);
        var run = await Dotnet(project, "bin/Debug/net10.0/ThriftService.dll");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("add: 42", run.Output, StringComparison.Ordinal);
        Assert.Contains("divide: division by zero", run.Output, StringComparison.Ordinal);

        var obj = Path.Combine(project, "obj", "Debug", "net10.0", "thrift");
        var before = Stamps(obj, "*.cs");
        Assert.NotEmpty(before);
        var noop = await Build(project);
        Assert.Contains("Kiln thrift: 2 files in 1 groups, up to date", noop.Output, StringComparison.Ordinal);
        Assert.Equal(before, Stamps(obj, "*.cs"));

        // A generated file deleted by hand: the task runs again and writes that file alone.
        var gone = before.Keys.First();
        File.Delete(gone);
        var restore = await Build(project);
        Assert.Contains("1 written", restore.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(gone));
    }

    [Fact]
    public async Task ABrokenProtoFailsTheBuildWithAnMSBuildDiagnostic()
    {
        var project = feed.CopySample("GrpcService", "Broken");
        File.WriteAllText(Path.Combine(project, "Protos", "types.proto"), """
            syntax = "proto3";
            package greet;
            enum Mood {
              MOOD_UNSPECIFIED = 0
              MOOD_HAPPY = 1;
            }
            """);
        var result = await Dotnet(project, ["build", .. BuildFlags]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(DiagnosticLine(), result.Output);
        Assert.DoesNotMatch(StackFrame(), result.Output);

        // A warning comes again in every build, up to date or not (the state keeps it; with
        // -warnaserror, it fails every build until it is fixed).
        File.WriteAllText(Path.Combine(project, "Protos", "types.proto"), """
            syntax = "proto3";
            package greet;
            option csharp_namespace = "Sample.Greet";
            import "google/protobuf/duration.proto";
            enum Mood {
              MOOD_UNSPECIFIED = 0;
              MOOD_HAPPY = 1;
            }
            """);
        foreach (var _ in new[] { 1, 2 })
        {
            var warned = await Build(project);
            Assert.Contains("Kiln protobuf:", warned.Output, StringComparison.Ordinal);
            Assert.Contains("duration.proto", warned.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ANoOpBuildIsUpToDateUntilAnImportThatIsNoItemChanges()
    {
        // shared.proto only imported (through AdditionalImportDirs), not compiled: a build is up
        // to date only while every file the last build read, items or not, keeps its stamp.
        var project = feed.CopySample("Switch", "SwitchImports");
        var projectFile = Path.Combine(project, "Switch.csproj");
        var text = File.ReadAllText(projectFile)
            .Replace("""<PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />""", """<PackageReference Include="Kiln.MSBuild" Version="$(KilnVersion)" PrivateAssets="all" />""", StringComparison.Ordinal)
            .Replace("""<Protobuf Include="extra/shared.proto" ProtoRoot="extra" GrpcServices="None" />""", "", StringComparison.Ordinal);
        File.WriteAllText(projectFile, text);
        var restore = await Dotnet(project, "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.Output);

        // Code generation only (the C# of the importers needs shared.proto's, which is not generated now).
        async Task<string> Generate()
        {
            var result = await Dotnet(project, ["msbuild", "-t:Protobuf_Compile", .. BuildFlags]);
            Assert.True(result.ExitCode == 0, result.Output);
            return result.Output;
        }

        // Four groups, some sharing an output folder: the second build is up to date all the same.
        Assert.Matches("Kiln protobuf: 4 files in 4 groups, [1-9][0-9]* written", await Generate());
        Assert.Contains("Kiln protobuf: 4 files in 4 groups, up to date", await Generate(), StringComparison.Ordinal);

        var shared = Path.Combine(project, "extra", "shared.proto");
        File.WriteAllText(shared, File.ReadAllText(shared) + "\n// edited\n");
        var edited = await Generate();
        Assert.Contains("Kiln protobuf:", edited, StringComparison.Ordinal);
        Assert.DoesNotContain("up to date", edited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBuildServerCompilesWhenAskedAndAgreesWithTheProcess()
    {
        var project = feed.CopySample("Switch", "SwitchServer");
        var projectFile = Path.Combine(project, "Switch.csproj");
        File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace(
            """<PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />""",
            """<PackageReference Include="Kiln.MSBuild" Version="$(KilnVersion)" PrivateAssets="all" />""",
            StringComparison.Ordinal));
        var restore = await Dotnet(project, "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.Output);

        async Task<string> Generate(params string[] more)
        {
            var result = await Dotnet(project, ["msbuild", "-t:Protobuf_Compile", "-nodeReuse:false", "-v:d", .. more]);
            Assert.True(result.ExitCode == 0, result.Output);
            return result.Output;
        }

        var served = await Generate("-p:Kiln_UseServer=true");
        Assert.Contains("compiled by the build server (process ", served, StringComparison.Ordinal);
        Assert.Matches("Kiln protobuf: 5 files in [0-9]+ groups, [1-9][0-9]* written", served);

        // By default the task compiles in MSBuild's process: the state the server left is up to
        // date there, and the server agrees with what this process left after an edit.
        var local = await Generate();
        Assert.Contains("compiled by this process", local, StringComparison.Ordinal);
        Assert.Matches("Kiln protobuf: 5 files in [0-9]+ groups, up to date", local);
        var shared = Path.Combine(project, "extra", "shared.proto");
        File.WriteAllText(shared, File.ReadAllText(shared) + "\n// edited\n");
        Assert.DoesNotMatch("Kiln protobuf: 5 files in [0-9]+ groups, up to date", await Generate());
        var again = await Generate("-p:Kiln_UseServer=true");
        Assert.Contains("compiled by the build server", again, StringComparison.Ordinal);
        Assert.Matches("Kiln protobuf: 5 files in [0-9]+ groups, up to date", again);
    }

    [Fact]
    public async Task AProjectThatBuildsWithGrpcToolsBuildsWithKilnAndGeneratesTheSameCode()
    {
        var grpcTools = feed.CopySample("Switch", "SwitchGrpcTools");
        var kiln = feed.CopySample("Switch", "SwitchKiln");
        var projectFile = Path.Combine(kiln, "Switch.csproj");
        var text = File.ReadAllText(projectFile);
        const string Reference = """<PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />""";
        Assert.Contains(Reference, text, StringComparison.Ordinal);
        File.WriteAllText(projectFile, text.Replace(Reference, """<PackageReference Include="Kiln.MSBuild" Version="$(KilnVersion)" PrivateAssets="all" />""", StringComparison.Ordinal));

        await Build(grpcTools);
        var kilnBuild = await Build(kiln);
        Assert.Contains("Kiln protobuf:", kilnBuild.Output, StringComparison.Ordinal);

        var peer = GeneratedFiles(grpcTools);
        var ours = GeneratedFiles(kiln);
        Assert.NotEmpty(ours);
        // Grpc.Tools also leaves an empty NameGrpc.cs for a file without services; Kiln writes only real outputs.
        Assert.Equal(peer.Where(p => p.Value.Length > 0).Select(p => p.Key).Order(), ours.Keys.Order());
        foreach (var (path, bytes) in ours)
        {
            Assert.True(peer[path].AsSpan().SequenceEqual(bytes), path + " differs from Grpc.Tools' output");
        }
    }

    /// <summary>The .cs files a protobuf build generated under obj/ (not MSBuild's own), by path relative to obj/Debug/net10.0.</summary>
    private static Dictionary<string, byte[]> GeneratedFiles(string project)
    {
        var obj = Path.Combine(project, "obj", "Debug", "net10.0");
        return Directory.EnumerateFiles(obj, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains("AssemblyInfo", StringComparison.Ordinal) && !Path.GetFileName(f).Contains("AssemblyAttributes", StringComparison.Ordinal) && !Path.GetFileName(f).Contains("GlobalUsings", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(obj, f), File.ReadAllBytes);
    }

    [GeneratedRegex(@"Protos/types\.proto\(\d+,\d+\): error KPB\d{4}: ")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
