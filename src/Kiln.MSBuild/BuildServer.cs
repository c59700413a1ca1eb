using System.Diagnostics;
using System.IO.Hashing;
using System.IO.Pipes;
using System.Text;

namespace Kiln.MSBuild;

/// <summary>
/// Kiln's build server: a process that compiles the tasks' requests, so that a build after an
/// edit pays neither the JIT nor the first-call costs of a new MSBuild process (they were most
/// of an edit's time: about 0.18 s in MSBuild, about 0.05 s here). It is this assembly, started
/// by the first task that finds none (<c>dotnet exec Kiln.MSBuild.dll --build-server NAME
/// SECONDS</c>), and it exits after <c>SECONDS</c> without a request. It keeps nothing between
/// requests but warm code: every request is compiled as in the MSBuild process, from the group's
/// state file, so its answers never depend on its memory.
/// <para>
/// One server per user and per task assembly (its path and module id are in the pipe's name, so a
/// new Kiln never talks to an old one); a named mutex keeps a second one from starting. The pipe
/// admits only the current user. Requests run in parallel, one per connection.
/// </para>
/// </summary>
internal sealed class BuildServer
{
    /// <summary>How long a server waits for a request before it exits, unless told otherwise.</summary>
    public const int DefaultIdleSeconds = 600;

    /// <summary>The argument that makes this assembly a build server.</summary>
    public const string Argument = "--build-server";

    private readonly string _pipeName;
    private readonly TimeSpan _idle;
    private readonly CancellationTokenSource _stop = new();
    private int _active;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private bool _collected = true;

    private BuildServer(string pipeName, TimeSpan idle)
    {
        _pipeName = pipeName;
        _idle = idle;
    }

    /// <summary>The pipe of this user's server for this very assembly (worked out once per process).</summary>
    public static string PipeName() => s_pipeName.Value;

    private static readonly Lazy<string> s_pipeName = new(() =>
    {
        var assembly = typeof(BuildServer).Assembly;
        return PipeName(assembly.Location, assembly.ManifestModule.ModuleVersionId);
    });

    /// <summary>The pipe of this user's server for the task assembly at <paramref name="assemblyPath"/> with module id <paramref name="moduleId"/>.</summary>
    public static string PipeName(string assemblyPath, Guid moduleId)
    {
        var identity = string.Join('\n', assemblyPath, moduleId.ToString("N"), Environment.UserName);
        return "kiln-" + XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(identity)).ToString("x16");
    }

    /// <summary>Serves on <paramref name="pipeName"/> until idle for <paramref name="idle"/> or told to stop; returns at once when another server holds the name.</summary>
    public static int Run(string pipeName, TimeSpan idle)
    {
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        using var mutex = new Mutex(initiallyOwned: false, pipeName + "-server");
        bool owned;
        try
        {
            owned = mutex.WaitOne(0);
        }
        catch (AbandonedMutexException)
        {
            owned = true; // a server that died: this one takes over
        }

        if (!owned)
        {
            return 0;
        }

        try
        {
            // Each group's state stays decoded between its builds, and is saved after the reply.
            Kiln.Build.Workspace.BuildState.Remember = true;
            new BuildServer(pipeName, idle).Serve();
        }
        finally
        {
            mutex.ReleaseMutex();
        }

        return 0;
    }

    private void Serve()
    {
        using var timer = new Timer(_ => CheckIdle(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        while (true)
        {
            var pipe = new NamedPipeServerStream(_pipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
                PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            try
            {
                pipe.WaitForConnectionAsync(_stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                pipe.Dispose();
                break;
            }

            Interlocked.Increment(ref _active);
            _ = Task.Run(() => Handle(pipe));
        }

        while (Volatile.Read(ref _active) > 0)
        {
            Thread.Sleep(20);
        }

        Kiln.Build.Workspace.BuildState.FlushSaves();
    }

    /// <summary>Once a second: stops after the idle time; a few seconds after the last request, gives its memory back.</summary>
    private void CheckIdle()
    {
        if (Volatile.Read(ref _active) > 0)
        {
            return;
        }

        var idleFor = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity));
        if (idleFor >= _idle)
        {
            _stop.Cancel();
        }
        else if (!_collected && idleFor >= TimeSpan.FromSeconds(5))
        {
            _collected = true;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private void Handle(NamedPipeServerStream pipe)
    {
        try
        {
            using (pipe)
            {
                var message = ServerProtocol.ReadFrame(pipe);
                if (message is null)
                {
                    return;
                }

                var (operation, request) = ServerProtocol.ReadRequest(message);
                if (operation == ServerProtocol.Shutdown)
                {
                    ServerProtocol.WriteFrame(pipe, ServerProtocol.WriteReply(new RecordingLog(), new CompileReply([], [])));
                    _stop.Cancel();
                    return;
                }

                var log = new RecordingLog();
                var start = Stopwatch.GetTimestamp();
                var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
                var reply = Compilation.Run(request!, log);
                log.Message(detailed: true, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Kiln build server (process {Environment.ProcessId}): request compiled in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms; garbage collections meanwhile {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen 0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F1} ms; heap {GC.GetTotalMemory(false) / (1 << 20)} MB"));
                ServerProtocol.WriteFrame(pipe, ServerProtocol.WriteReply(log, reply));
                if (Volatile.Read(ref _active) == 1)
                {
                    // The client has its answer: the request's garbage goes now, in the background,
                    // rather than in a collection during the next request.
                    GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or ObjectDisposedException)
        {
            // The client went away or sent what this server does not read: it compiles in its own process.
        }
        finally
        {
            Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());
            _collected = false;
            Interlocked.Decrement(ref _active);
        }
    }
}

/// <summary>One line of a task's log, recorded in the build server and replayed in MSBuild.</summary>
internal sealed record LogEvent(LogEventKind Kind, string Code, string? File, int Line, int Column, string Text)
{
    public void Replay(ITaskLog log)
    {
        switch (Kind)
        {
            case LogEventKind.Error:
                log.Error(Code, File, Line, Column, Text);
                break;
            case LogEventKind.Warning:
                log.Warning(Code, File, Line, Column, Text);
                break;
            case LogEventKind.Info:
                log.Info(Code, File, Line, Column, Text);
                break;
            default:
                log.Message(Kind == LogEventKind.Detail, Text);
                break;
        }
    }
}

internal enum LogEventKind : byte
{
    Error,
    Warning,
    Info,
    Message,
    Detail,
}

/// <summary>A task log that records, for the reply.</summary>
internal sealed class RecordingLog : ITaskLog
{
    public List<LogEvent> Events { get; } = [];

    public void Error(string code, string? file, int line, int column, string message) => Events.Add(new(LogEventKind.Error, code, file, line, column, message));

    public void Warning(string code, string? file, int line, int column, string message) => Events.Add(new(LogEventKind.Warning, code, file, line, column, message));

    public void Info(string code, string? file, int line, int column, string message) => Events.Add(new(LogEventKind.Info, code, file, line, column, message));

    public void Message(bool detailed, string text) => Events.Add(new(detailed ? LogEventKind.Detail : LogEventKind.Message, "", null, 0, 0, text));
}

/// <summary>A request the server compiled: its log, its files, and the server's process id.</summary>
internal sealed record ServedReply(IReadOnlyList<LogEvent> Events, CompileReply Reply, int ServerProcess);

/// <summary>
/// The pipe's messages: each a frame (a 4-byte little-endian length, then that many bytes). A
/// request starts with a magic number and the protocol version, then the operation and, to
/// compile, the <see cref="CompileRequest"/>; the reply is the log's events, the generated files
/// and the server's process id. Strings are length-prefixed UTF-8 (<see cref="BinaryWriter"/>).
/// </summary>
internal static class ServerProtocol
{
    public const byte Compile = 1;
    public const byte Shutdown = 2;
    private const int Magic = 0x4E4C494B; // "KILN"
    private const int Version = 1;
    private const int MaxFrame = 1 << 30;

    public static void WriteFrame(Stream stream, byte[] payload)
    {
        Span<byte> header = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        stream.Write(header);
        stream.Write(payload);
        stream.Flush();
    }

    /// <summary>The next frame's payload; null when the stream ends before one starts.</summary>
    public static byte[]? ReadFrame(Stream stream)
    {
        var header = new byte[4];
        var read = 0;
        while (read < 4)
        {
            var n = stream.Read(header, read, 4 - read);
            if (n == 0)
            {
                return read == 0 ? null : throw new EndOfStreamException("The pipe closed inside a frame's length.");
            }

            read += n;
        }

        var length = header[0] | (header[1] << 8) | (header[2] << 16) | (header[3] << 24);
        if (length < 0 || length > MaxFrame)
        {
            throw new InvalidDataException($"A frame of {length} bytes is not a Kiln message.");
        }

        var payload = new byte[length];
        stream.ReadExactly(payload);
        return payload;
    }

    public static byte[] WriteRequest(byte operation, CompileRequest? request)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(operation);
            if (request is not null)
            {
                w.Write((byte)request.Kind);
                w.Write(request.ProjectDirectory);
                w.Write(request.StateDirectory);
                w.Write(request.CacheDirectory);
                w.Write(request.DefaultProtoRoot);
                w.Write(request.StandardImportsPath);
                w.Write(request.PredictOnly);
                w.Write(request.Items.Count);
                foreach (var item in request.Items)
                {
                    w.Write(item.ItemSpec);
                    w.Write(item.Metadata.Length);
                    foreach (var value in item.Metadata)
                    {
                        w.Write(value);
                    }
                }
            }
        }

        return buffer.ToArray();
    }

    public static (byte Operation, CompileRequest? Request) ReadRequest(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (r.ReadInt32() != Magic || r.ReadInt32() != Version)
        {
            throw new InvalidDataException("Not a request of this Kiln's protocol.");
        }

        var operation = r.ReadByte();
        if (operation == Shutdown)
        {
            return (operation, null);
        }

        if (operation != Compile)
        {
            throw new InvalidDataException($"Unknown operation {operation}.");
        }

        var kind = (CompileKind)r.ReadByte();
        if (kind is not (CompileKind.Protobuf or CompileKind.Thrift))
        {
            throw new InvalidDataException($"Unknown request kind {kind}.");
        }

        var project = r.ReadString();
        var state = r.ReadString();
        var cache = r.ReadString();
        var protoRoot = r.ReadString();
        var imports = r.ReadString();
        var predict = r.ReadBoolean();
        var names = Compilation.MetadataOf(kind).Length;
        var items = new RequestItem[Count(r)];
        for (var i = 0; i < items.Length; i++)
        {
            var spec = r.ReadString();
            var values = new string[Count(r)];
            if (values.Length != names)
            {
                throw new InvalidDataException($"An item with {values.Length} metadata values, not {names}.");
            }

            for (var v = 0; v < values.Length; v++)
            {
                values[v] = r.ReadString();
            }

            items[i] = new RequestItem(spec, values);
        }

        return (operation, new CompileRequest(kind, project, state, cache, protoRoot, imports, predict, items));
    }

    public static byte[] WriteReply(RecordingLog log, CompileReply reply)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Environment.ProcessId);
            w.Write(log.Events.Count);
            foreach (var e in log.Events)
            {
                w.Write((byte)e.Kind);
                w.Write(e.Code);
                w.Write(e.File is not null);
                w.Write(e.File ?? "");
                w.Write(e.Line);
                w.Write(e.Column);
                w.Write(e.Text);
            }

            WriteFiles(w, reply.Compiled);
            WriteFiles(w, reply.Other);
        }

        return buffer.ToArray();
    }

    public static ServedReply ReadReply(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (r.ReadInt32() != Magic)
        {
            throw new InvalidDataException("Not a reply of this Kiln's protocol.");
        }

        var process = r.ReadInt32();
        var events = new LogEvent[Count(r)];
        for (var i = 0; i < events.Length; i++)
        {
            var kind = (LogEventKind)r.ReadByte();
            var code = r.ReadString();
            var hasFile = r.ReadBoolean();
            var file = r.ReadString();
            events[i] = new LogEvent(kind, code, hasFile ? file : null, r.ReadInt32(), r.ReadInt32(), r.ReadString());
        }

        var compiled = ReadFiles(r);
        var other = ReadFiles(r);
        return new ServedReply(events, new CompileReply(compiled, other), process);
    }

    private static void WriteFiles(BinaryWriter w, IReadOnlyList<GeneratedFile> files)
    {
        w.Write(files.Count);
        foreach (var file in files)
        {
            w.Write(file.Path);
            w.Write(file.Source);
        }
    }

    private static GeneratedFile[] ReadFiles(BinaryReader r)
    {
        var files = new GeneratedFile[Count(r)];
        for (var i = 0; i < files.Length; i++)
        {
            files[i] = new GeneratedFile(r.ReadString(), r.ReadString());
        }

        return files;
    }

    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count is >= 0 and <= MaxFrame ? count : throw new InvalidDataException($"A count of {count}.");
    }
}

/// <summary>
/// The task's side: sends a request to this user's build server for this assembly, starting the
/// server when there is none; any failure means "compile in this process", with the reason.
/// </summary>
internal static class BuildServerClient
{
    /// <summary>Starts connecting to the server on <paramref name="pipeName"/> (see <see cref="BeginConnect"/>).</summary>
    public static ServerConnection Open(string pipeName) => new(pipeName, BeginConnect(pipeName));

    /// <summary>How long to wait for a server just started to listen.</summary>
    private const int StartTimeoutMs = 10_000;

    /// <summary>
    /// The request compiled by the server on <paramref name="pipeName"/>; when none answers, one is
    /// started with <paramref name="startIdle"/> as its idle time (none when null). Null, with the
    /// reason, when the request must be compiled in this process.
    /// </summary>
    public static ServedReply? TryCompile(CompileRequest request, string pipeName, TimeSpan? startIdle, out string why) =>
        TrySend(pipeName, ServerProtocol.WriteRequest(ServerProtocol.Compile, request), startIdle, out why);

    /// <summary>
    /// Starts connecting to the server on <paramref name="pipeName"/> on a pool thread (the
    /// pipe's first use loads the socket stack: about 5 ms, spent while the task reads its items).
    /// </summary>
    public static Task<NamedPipeClientStream?> BeginConnect(string pipeName) => Task.Run(() =>
    {
        try
        {
            return Connect(pipeName, 50);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    });

    /// <summary><see cref="TryCompile(CompileRequest, string, TimeSpan?, out string)"/> over a connection <see cref="BeginConnect"/> started.</summary>
    public static ServedReply? TryCompile(CompileRequest request, ServerConnection connection, TimeSpan startIdle, out string why) =>
        TrySend(connection.PipeName, ServerProtocol.WriteRequest(ServerProtocol.Compile, request), startIdle, out why, connection.Connecting.GetAwaiter().GetResult());

    /// <summary>Asks the server on <paramref name="pipeName"/>, if one runs, to exit once its requests are done; true when one answered.</summary>
    public static bool Shutdown(string pipeName) =>
        TrySend(pipeName, ServerProtocol.WriteRequest(ServerProtocol.Shutdown, null), start: null, out _) is not null;

    /// <param name="start">The idle time of a server to start when none answers; null: start none.</param>
    /// <param name="connected">A connection already made, if any.</param>
    private static ServedReply? TrySend(string pipeName, byte[] request, TimeSpan? start, out string why, NamedPipeClientStream? connected = null)
    {
        try
        {
            var pipe = connected ?? Connect(pipeName, 50);
            if (pipe is null)
            {
                if (start is not { } idle)
                {
                    why = "no server runs";
                    return null;
                }

                if (!Start(pipeName, idle, out why))
                {
                    return null;
                }

                pipe = Connect(pipeName, StartTimeoutMs);
                if (pipe is null)
                {
                    why = $"the server started did not answer within {StartTimeoutMs / 1000} s";
                    return null;
                }
            }

            using (pipe)
            {
                ServerProtocol.WriteFrame(pipe, request);
                var reply = ServerProtocol.ReadFrame(pipe) ?? throw new EndOfStreamException("The server closed the pipe without a reply.");
                why = "";
                return ServerProtocol.ReadReply(reply);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or TimeoutException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            why = $"{e.GetType().Name}: {e.Message}";
            return null;
        }
    }

    private static NamedPipeClientStream? Connect(string pipeName, int timeoutMs)
    {
        var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.CurrentUserOnly);
        try
        {
            pipe.Connect(timeoutMs);
            return pipe;
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            pipe.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Starts a server: this assembly run by the <c>dotnet</c> host that runs MSBuild, in its own
    /// folder, with its standard streams not MSBuild's (so that nothing waiting for the build's
    /// output waits for the server).
    /// </summary>
    private static bool Start(string pipeName, TimeSpan idle, out string why)
    {
        var assembly = typeof(BuildServer).Assembly.Location;
        var host = DotnetHost();
        if (host is null)
        {
            why = "no dotnet host found (DOTNET_HOST_PATH is not set and this process is not dotnet)";
            return false;
        }

        if (!File.Exists(Path.ChangeExtension(assembly, ".runtimeconfig.json")))
        {
            why = $"{Path.ChangeExtension(assembly, ".runtimeconfig.json")} is missing";
            return false;
        }

        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add(BuildServer.Argument);
        info.ArgumentList.Add(pipeName);
        info.ArgumentList.Add(((int)idle.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info);
        if (process is null)
        {
            why = $"{host} did not start";
            return false;
        }

        process.StandardInput.Close();
        process.StandardOutput.Close();
        process.StandardError.Close();
        why = "";
        return true;
    }

    /// <summary>The <c>dotnet</c> executable: the one MSBuild names (<c>DOTNET_HOST_PATH</c>), else this process when it is dotnet.</summary>
    private static string? DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path))
        {
            return path;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : null;
    }
}

/// <summary>The entry point of <c>dotnet exec Kiln.MSBuild.dll</c>: the build server, and nothing else.</summary>
internal static class ServerProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == BuildServer.Argument && int.TryParse(args[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return BuildServer.Run(args[1], TimeSpan.FromSeconds(seconds));
        }

        Console.Error.WriteLine($"Kiln.MSBuild.dll is the Kiln.MSBuild package's task assembly; run as a program it is only the build server ({BuildServer.Argument} PIPE SECONDS), which the tasks start.");
        return 2;
    }
}

/// <summary>
/// A connection to the build server being made for a task run. The task holds this rather than
/// the pipe's types, so that a build without the server never loads the pipes assembly.
/// </summary>
internal sealed class ServerConnection(string pipeName, Task<NamedPipeClientStream?> connecting)
{
    public string PipeName => pipeName;

    public Task<NamedPipeClientStream?> Connecting => connecting;

    /// <summary>Closes the connection once made, when the run failed before using it.</summary>
    public void Abandon() => connecting.ContinueWith(static t => t.Result?.Dispose(), TaskScheduler.Default);
}
