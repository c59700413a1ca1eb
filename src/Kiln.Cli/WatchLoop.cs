using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Kiln.Build.Workspace;

namespace Kiln.Cli;

/// <summary>
/// <c>kiln watch</c>: one <see cref="WorkspaceBuilder"/> kept alive (so the engine's memos are
/// reused), file-system events collected until none has come for the debounce time, then a
/// rebuild of just the changed files. A change to <c>kiln.json</c> reloads it and starts over.
/// </summary>
internal sealed class WatchLoop(KilnConfig config, string directory, bool useCache, TimeSpan debounce, BuildPrinter printer, TextWriter stderr)
{
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private int _building;

    public int Run(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // Between builds, Ctrl+C (or SIGTERM) ends the loop cleanly. During a build the process
        // simply ends: outputs and cache entries are written by rename, so stopping at any point
        // leaves each whole, and the next build finds what is missing.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = Volatile.Read(ref _building) == 0;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        var builder = new WorkspaceBuilder(config, useCache) { LongLived = true };
        var watchers = StartWatchers(config);
        _building = 1;
        try
        {
            var report = printer.RunWithProgress(builder, changed: null);
            printer.Print(report, watching: false);
            if (report.UpToDate)
            {
                // Nothing to do, so nothing was loaded: load now (every output comes from the
                // cache or is found current) so that the first edit costs only itself.
                builder.Build(changed: null);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

            printer.Out.WriteLine($"watching {builder.InputFiles.Count} files (Ctrl+C to stop)");
            printer.Out.Flush();
            while (!stop.IsCancellationRequested)
            {
                Volatile.Write(ref _building, 0);
                try
                {
                    _signal.Wait(stop.Token);
                    // Debounce: editors save in steps (truncate, write, rename); wait until quiet.
                    while (_signal.Wait(debounce, stop.Token))
                    {
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                Volatile.Write(ref _building, 1);
                var changed = _changed.Keys.ToList();
                foreach (var path in changed)
                {
                    _changed.TryRemove(path, out _);
                }

                if (changed.Exists(p => config.File is not null && string.Equals(p, config.File, StringComparison.Ordinal)))
                {
                    var reloaded = BuildCommand.LoadConfig(directory, "msbuild", stderr);
                    if (reloaded is null)
                    {
                        continue;
                    }

                    config = reloaded;
                    foreach (var watcher in watchers)
                    {
                        watcher.Dispose();
                    }

                    watchers = StartWatchers(config);
                    builder.Flush();
                    builder = new WorkspaceBuilder(config, useCache) { LongLived = true };
                    changed = null;
                    printer.Out.WriteLine("kiln.json changed: building again with the new settings");
                }

                if (printer.Verbosity >= Verbosity.Minimal && changed is not null)
                {
                    printer.Out.WriteLine($"changed: {string.Join(", ", changed.Take(5).Select(WorkspaceBuilder.Display))}{(changed.Count > 5 ? $" and {changed.Count - 5} more" : "")}");
                }

                report = builder.Build(changed);
                printer.Print(report, watching: true);
                printer.Out.Flush();

                // Collect the rebuild's garbage now, while the user reads the result, so that the
                // next edit does not pay for this one's collection in the middle of its rebuild.
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            }
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }

            builder.Flush();
        }

        return ExitCodes.Success;
    }

    /// <summary>One recursive watcher per folder that holds inputs: the workspace and each import or include path outside it.</summary>
    private List<FileSystemWatcher> StartWatchers(KilnConfig settings)
    {
        var folders = new List<string> { settings.Root };
        foreach (var extra in (settings.Protobuf?.ImportPaths ?? []).Concat(settings.Thrift?.IncludePaths ?? []))
        {
            if (Directory.Exists(extra) && !folders.Exists(f => extra.StartsWith(f.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || extra == f))
            {
                folders.Add(extra);
            }
        }

        var ignored = new List<string>(settings.OutputFolders) { settings.CacheDirectory };

        var watchers = new List<FileSystemWatcher>();
        foreach (var folder in folders)
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
                InternalBufferSize = 64 * 1024,
            };
            void OnEvent(string? path)
            {
                if (path is null || ignored.Exists(i => path.StartsWith(i + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                {
                    return;
                }

                if (path.EndsWith(".proto", StringComparison.Ordinal) || path.EndsWith(".thrift", StringComparison.Ordinal)
                    || string.Equals(path, settings.File, StringComparison.Ordinal))
                {
                    _changed[Path.GetFullPath(path)] = 0;
                    _signal.Release();
                }
            }

            watcher.Changed += (_, e) => OnEvent(e.FullPath);
            watcher.Created += (_, e) => OnEvent(e.FullPath);
            watcher.Deleted += (_, e) => OnEvent(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                OnEvent(e.OldFullPath);
                OnEvent(e.FullPath);
            };
            watcher.Error += (_, e) =>
            {
                // Too many events at once (the buffer overflowed): rebuild from scratch.
                stderr.WriteLine($"kiln watch: {e.GetException().Message}; reading every input again");
                _changed[settings.Root] = 0;
                _signal.Release();
            };
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }

        return watchers;
    }
}
