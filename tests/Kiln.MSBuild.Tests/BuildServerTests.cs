using System.IO.Pipes;
using Kiln.Build.Workspace;

namespace Kiln.MSBuild.Tests;

/// <summary>
/// The build server, run in this process on a pipe of its own: its protocol, that it compiles a
/// request exactly as the MSBuild process would, that bad input does not stop it, and that it
/// exits when told or when idle.
/// </summary>
public sealed class BuildServerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kiln-build-server-" + Guid.NewGuid().ToString("N"));
    private readonly string _pipe = "kiln-test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        BuildServerClient.Shutdown(_pipe);
        BuildState.Remember = false;
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static readonly string[] Metadata = ["true", "", "out", "", "Both", "Public", "", "", "", "", "true"];

    /// <summary>A project folder with two .proto files (one with a service), and the request a task would make of it.</summary>
    private CompileRequest Project(string name, string greet = "syntax = \"proto3\";\npackage demo;\nimport \"types.proto\";\nservice Greeter { rpc Hi (Name) returns (Name); }\n")
    {
        var project = Path.Combine(_root, name);
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "types.proto"), "syntax = \"proto3\";\npackage demo;\nmessage Name { string value = 1; }\n");
        File.WriteAllText(Path.Combine(project, "greet.proto"), greet);
        return new CompileRequest(CompileKind.Protobuf, project, "obj/kiln/protobuf", "obj/kiln-cache", "", "", PredictOnly: false,
            [new RequestItem("types.proto", Metadata), new RequestItem("greet.proto", Metadata)]);
    }

    private Task<int> StartServer(TimeSpan idle) =>
        Task.Factory.StartNew(() => BuildServer.Run(_pipe, idle), TaskCreationOptions.LongRunning);

    private ServedReply Serve(CompileRequest request)
    {
        // The server may still be creating its pipe: a few tries.
        for (var attempt = 0; ; attempt++)
        {
            if (BuildServerClient.TryCompile(request, _pipe, startIdle: null, out var why) is { } served)
            {
                return served;
            }

            Assert.True(attempt < 100, "the server did not answer: " + why);
            Thread.Sleep(50);
        }
    }

    /// <summary>Events and files with the project's folder taken out, so that two folders compare.</summary>
    private static string[] Shape(IEnumerable<LogEvent> events, CompileReply reply, string project) =>
        [.. events.Where(e => e.Kind != LogEventKind.Detail && e.Kind != LogEventKind.Message)
            .Select(e => $"{e.Kind} {e.Code} {Path.GetFileName(e.File)}({e.Line},{e.Column}) {e.Text}"),
         .. reply.Compiled.Select(f => "compile " + Path.GetRelativePath(project, f.Path) + " <- " + f.Source),
         .. reply.Other.Select(f => "other " + Path.GetRelativePath(project, f.Path) + " <- " + f.Source)];

    [Fact]
    public void ARequestAndAReplyReadBackAsWritten()
    {
        var request = Project("protocol");
        var (operation, read) = ServerProtocol.ReadRequest(ServerProtocol.WriteRequest(ServerProtocol.Compile, request));
        Assert.Equal(ServerProtocol.Compile, operation);
        Assert.NotNull(read);
        Assert.Equal(request with { Items = [] }, read with { Items = [] });
        Assert.Equal(request.Items.Select(i => (i.ItemSpec, string.Join('|', i.Metadata))), read.Items.Select(i => (i.ItemSpec, string.Join('|', i.Metadata))));

        var log = new RecordingLog();
        log.Error("KPB0003", "a.proto", 5, 3, "Expected \";\".");
        log.Warning("KLN0101", null, 0, 0, "a warning");
        log.Message(detailed: true, "détail ✓");
        var reply = new CompileReply([new GeneratedFile("/x/A.cs", "a.proto")], [new GeneratedFile("/x/B.cs", "")]);
        var back = ServerProtocol.ReadReply(ServerProtocol.WriteReply(log, reply));
        Assert.Equal(log.Events, back.Events);
        Assert.Equal(reply.Compiled, back.Reply.Compiled);
        Assert.Equal(reply.Other, back.Reply.Other);
        Assert.Equal(Environment.ProcessId, back.ServerProcess);

        Assert.Throws<InvalidDataException>(() => ServerProtocol.ReadRequest([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }

    private static async Task<bool> Finishes(Task task, TimeSpan within) =>
        await Task.WhenAny(task, Task.Delay(within, TestContext.Current.CancellationToken)) == task;

    [Fact]
    public async Task TheServerCompilesARequestAsThisProcessWould()
    {
        var server = StartServer(TimeSpan.FromMinutes(1));
        var served = Project("served");
        var local = Project("local");

        var byServer = Serve(served);
        var inProcess = new RecordingLog();
        var byProcess = Compilation.Run(local, inProcess);
        Assert.Equal(Shape(inProcess.Events, byProcess, local.ProjectDirectory), Shape(byServer.Events, byServer.Reply, served.ProjectDirectory));
        Assert.Equal(3, byServer.Reply.Compiled.Count); // Types.cs, Greet.cs, GreetGrpc.cs
        foreach (var file in byServer.Reply.Compiled)
        {
            var twin = Path.Combine(local.ProjectDirectory, Path.GetRelativePath(served.ProjectDirectory, file.Path));
            Assert.Equal(File.ReadAllBytes(twin), File.ReadAllBytes(file.Path));
        }

        // Again: up to date, and still so after this process built the same folder (the server
        // remembers states only while their files keep their stamps).
        Assert.Contains(Serve(served).Events, e => e.Text.Contains("up to date (3 outputs)", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(served.ProjectDirectory, "types.proto"), "syntax = \"proto3\";\npackage demo;\nmessage Name { string value = 1; int32 n = 2; }\n");
        var edited = new RecordingLog();
        Compilation.Run(served, edited);
        Assert.Contains(edited.Events, e => e.Text.Contains("1 written", StringComparison.Ordinal));
        Assert.Contains(Serve(served).Events, e => e.Text.Contains("up to date (3 outputs)", StringComparison.Ordinal));

        Assert.True(BuildServerClient.Shutdown(_pipe));
        Assert.True(await Finishes(server, TimeSpan.FromSeconds(10)), "the server did not stop when told");
    }

    [Fact]
    public void AnIdlErrorComesBackAsADiagnosticWithItsPlace()
    {
        StartServer(TimeSpan.FromMinutes(1));
        var broken = Project("broken", "syntax = \"proto3\";\npackage demo;\nmessage Broken { string x = 1 }\n");
        var served = Serve(broken);
        var error = Assert.Single(served.Events, e => e.Kind == LogEventKind.Error);
        Assert.StartsWith("KPB", error.Code, StringComparison.Ordinal);
        Assert.Equal("greet.proto", Path.GetFileName(error.File));
        Assert.Equal(3, error.Line);
        Assert.True(error.Column > 0);
    }

    [Fact]
    public void WhatIsNotARequestDoesNotStopTheServer()
    {
        StartServer(TimeSpan.FromMinutes(1));
        Serve(Project("first"));
        using (var raw = new NamedPipeClientStream(".", _pipe, PipeDirection.InOut, PipeOptions.CurrentUserOnly))
        {
            raw.Connect(5000);
            ServerProtocol.WriteFrame(raw, [0x4B, 0x49, 0x4C, 0x4E, 9, 9, 9, 9]);
            Assert.Null(ServerProtocol.ReadFrame(raw)); // closed without a reply
        }

        using (var raw = new NamedPipeClientStream(".", _pipe, PipeDirection.InOut, PipeOptions.CurrentUserOnly))
        {
            raw.Connect(5000); // and gone at once
        }

        Assert.Contains(Serve(Project("second")).Events, e => e.Text.Contains("Kiln protobuf: 2 files in 1 groups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdleServerExitsAndASecondOneDoesNotStart()
    {
        var first = StartServer(TimeSpan.FromSeconds(2));
        Serve(Project("idle"));
        // The name is taken: a second server returns at once.
        Assert.True(await Finishes(StartServer(TimeSpan.FromMinutes(1)), TimeSpan.FromSeconds(10)), "a second server started");
        Assert.True(await Finishes(first, TimeSpan.FromSeconds(15)), "the idle server did not exit");
        Assert.False(BuildServerClient.Shutdown(_pipe));
    }
}
