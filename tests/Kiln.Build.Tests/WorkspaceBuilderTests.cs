using Kiln.Build.Workspace;

namespace Kiln.Build.Tests;

/// <summary>
/// <c>kiln build</c>'s promises, on small workspaces, each checked both in a new builder (a new
/// process, through the state file and the artifact cache) and in the same builder (watch mode).
/// </summary>
public sealed class WorkspaceBuilderTests : IDisposable
{
    private const string Config = """
        {
          // Comments and trailing commas are allowed.
          "protobuf": {
            "inputs": ["protos/**/*.proto"],
            "importPaths": ["protos"],
            "csharp": { "out": "gen/proto", "options": "" },
            "grpc": { "out": "gen/proto", "options": "" },
          },
          "thrift": {
            "inputs": ["thrift/**/*.thrift"],
            "includePaths": ["thrift"],
            "netstd": { "out": "gen/thrift", "options": "" }
          }
        }
        """;

    private readonly TempTree _tree = new(
        ("kiln.json", Config),
        ("protos/base/common.proto", """
            syntax = "proto3";
            package base;
            // A point on the map.
            message Point { int32 x = 1; int32 y = 2; }
            """),
        ("protos/app/shape.proto", """
            syntax = "proto3";
            package app;
            import "base/common.proto";
            // A shape.
            message Shape { repeated base.Point points = 1; }
            service Shapes { rpc Get(Shape) returns (Shape); }
            """),
        ("protos/app/route.proto", """
            syntax = "proto3";
            package app;
            import "app/shape.proto";
            // A route along a shape.
            message Route { Shape along = 1; }
            """),
        ("protos/other/unrelated.proto", """
            syntax = "proto3";
            package other;
            // Knows nothing of the others.
            message Lonely { string name = 1; }
            """),
        ("thrift/base.thrift", """
            namespace netstd Base
            // A thing.
            struct Thing { 1: i32 id }
            """),
        ("thrift/svc.thrift", """
            include "base.thrift"
            namespace netstd Svc
            service S { base.Thing get(1: i32 id) }
            """));

    public void Dispose() => _tree.Dispose();

    private KilnConfig LoadConfig()
    {
        var config = KilnConfig.Load(_tree.Root, out var diagnostics);
        Assert.Empty(diagnostics);
        return config!;
    }

    private BuildReport Build(WorkspaceBuilder? builder = null, IReadOnlyCollection<string>? changed = null)
    {
        var report = (builder ?? new WorkspaceBuilder(LoadConfig())).Build(changed);
        Assert.False(report.HasErrors, string.Join("\n", report.Diagnostics));
        return report;
    }

    private Dictionary<string, (DateTime Time, byte[] Bytes)> Snapshot() =>
        Directory.EnumerateFiles(_tree["gen"], "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(_tree.Root, p), p => (File.GetLastWriteTimeUtc(p), File.ReadAllBytes(p)));

    private static string[] Names(IEnumerable<string> paths) => [.. paths.Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void A_first_build_writes_every_output_and_a_second_finds_it_up_to_date()
    {
        var first = Build();
        Assert.Equal(["Common.cs", "Route.cs", "S.cs", "Shape.cs", "ShapeGrpc.cs", "Thing.cs", "Unrelated.cs"], Names(first.Written));
        Assert.Equal(6, first.Inputs);
        var second = Build();
        Assert.True(second.UpToDate);
        Assert.Empty(second.Written);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_comment_edit_rewrites_no_output_of_any_other_file(bool sameProcess)
    {
        var builder = new WorkspaceBuilder(LoadConfig());
        Build(builder);
        var before = Snapshot();
        Thread.Sleep(20);
        _tree.Write("protos/base/common.proto", File.ReadAllText(_tree["protos/base/common.proto"]).Replace("A point on the map.", "A point on the map, in metres.", StringComparison.Ordinal));
        var report = sameProcess ? Build(builder, [_tree["protos/base/common.proto"]]) : Build();

        Assert.Equal(["Common.cs"], Names(report.Written));
        Assert.Equal(["common.proto"], Names(report.GeneratedInputs)); // importers are current: exports did not change
        Assert.Equal(1, report.CacheHits + report.CacheMisses); // a new process keeps them from the build state, without the cache
        var after = Snapshot();
        foreach (var (path, (time, bytes)) in before)
        {
            if (!path.EndsWith("Common.cs", StringComparison.Ordinal))
            {
                Assert.Equal(time, after[path].Time);
                Assert.Equal(bytes, after[path].Bytes);
            }
        }

        Assert.Contains("in metres", File.ReadAllText(_tree["gen/proto/Common.cs"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_edit_to_a_used_type_regenerates_exactly_its_dependents(bool sameProcess)
    {
        var builder = new WorkspaceBuilder(LoadConfig());
        Build(builder);
        _tree.Write("protos/base/common.proto", File.ReadAllText(_tree["protos/base/common.proto"]).Replace("int32 y = 2;", "int32 y = 2; int32 z = 3;", StringComparison.Ordinal));
        var report = sameProcess ? Build(builder, [_tree["protos/base/common.proto"]]) : Build();

        // common.proto and what imports it, directly or not; never unrelated.proto or the Thrift files.
        Assert.Equal(["common.proto", "route.proto", "shape.proto"], Names(report.GeneratedInputs));
        Assert.Equal(["Common.cs"], Names(report.Written)); // the dependents' bytes did not change
        Assert.Contains("public int Z", File.ReadAllText(_tree["gen/proto/Common.cs"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_thrift_edit_regenerates_its_includers_and_nothing_else()
    {
        var builder = new WorkspaceBuilder(LoadConfig());
        Build(builder);
        _tree.Write("thrift/base.thrift", "namespace netstd Base\nstruct Thing { 1: i32 id, 2: string name }\n");
        var report = Build(builder, [_tree["thrift/base.thrift"]]);
        Assert.Equal(["base.thrift", "svc.thrift"], Names(report.GeneratedInputs));
        Assert.Equal(["Thing.cs"], Names(report.Written));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deleting_an_input_removes_its_outputs_and_nothing_else(bool sameProcess)
    {
        var builder = new WorkspaceBuilder(LoadConfig());
        Build(builder);
        _tree.Write("gen/proto/Handwritten.cs", "// not Kiln's");
        File.Delete(_tree["protos/other/unrelated.proto"]);
        var report = sameProcess ? Build(builder, [_tree["protos/other/unrelated.proto"]]) : Build();
        Assert.Equal(["Unrelated.cs"], Names(report.Deleted));
        Assert.False(File.Exists(_tree["gen/proto/Unrelated.cs"]));
        Assert.True(File.Exists(_tree["gen/proto/Handwritten.cs"]));
        Assert.True(File.Exists(_tree["gen/proto/Common.cs"]));
    }

    [Fact]
    public void Watch_mode_follows_new_and_removed_imports_and_includes()
    {
        var builder = new WorkspaceBuilder(LoadConfig());
        Build(builder);

        // route.proto starts importing unrelated.proto (a new edge in the import graph).
        _tree.Write("protos/app/route.proto", "syntax = \"proto3\";\npackage app;\nimport \"app/shape.proto\";\nimport \"other/unrelated.proto\";\nmessage Route { Shape along = 1; other.Lonely who = 2; }\n");
        var report = Build(builder, [_tree["protos/app/route.proto"]]);
        Assert.Equal(["route.proto"], Names(report.GeneratedInputs));
        Assert.Contains("global::Other.Lonely Who", File.ReadAllText(_tree["gen/proto/Route.cs"]), StringComparison.Ordinal);

        // svc.thrift stops including base.thrift, then a struct of its own is used.
        _tree.Write("thrift/svc.thrift", "namespace netstd Svc\nstruct Own { 1: i32 id }\nservice S { Own get(1: i32 id) }\n");
        report = Build(builder, [_tree["thrift/svc.thrift"]]);
        Assert.Equal(["svc.thrift"], Names(report.GeneratedInputs));
        Assert.Contains(report.Written, p => p.EndsWith("Own.cs", StringComparison.Ordinal));

        // An import that cannot be found is an error in watch mode too, and fixing it recovers.
        _tree.Write("protos/app/route.proto", "syntax = \"proto3\";\npackage app;\nimport \"app/missing.proto\";\nmessage Route { }\n");
        var failed = builder.Build([_tree["protos/app/route.proto"]]);
        Assert.Contains(failed.Diagnostics, d => d.IsError);
        _tree.Write("protos/app/route.proto", "syntax = \"proto3\";\npackage app;\nmessage Route { }\n");
        report = Build(builder, [_tree["protos/app/route.proto"]]);
        Assert.DoesNotContain("Shape", File.ReadAllText(_tree["gen/proto/Route.cs"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_defined_by_two_unrelated_files_is_found_in_watch_mode_and_forgotten_when_fixed()
    {
        var builder = new WorkspaceBuilder(LoadConfig()) { LongLived = true };
        Build(builder);
        var unrelated = _tree["protos/other/unrelated.proto"];
        var original = File.ReadAllText(unrelated);
        _tree.Write("protos/other/unrelated.proto", "syntax = \"proto3\";\npackage base;\nmessage Point { string name = 1; }\n");
        var report = builder.Build([unrelated]);
        var error = Assert.Single(report.Diagnostics, d => d.IsError);
        Assert.Contains("\"base.Point\" is already defined in file", error.Message, StringComparison.Ordinal);

        _tree.Write("protos/other/unrelated.proto", original);
        report = Build(builder, [unrelated]);
        Assert.DoesNotContain(report.Diagnostics, d => d.IsError);

        // A field added (new names, no clash) is checked by the index alone and stays clean.
        _tree.Write("protos/other/unrelated.proto", original.Replace("string name = 1;", "string name = 1; int32 age = 2;", StringComparison.Ordinal));
        Build(builder, [unrelated]);
    }

    /// <summary>Every generated file's bytes under <paramref name="root"/>, by path relative to it.</summary>
    private static Dictionary<string, byte[]> Outputs(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "gen"), "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(root, p), File.ReadAllBytes);

    /// <summary>What a clean build (no state, no cache) of a copy of the workspace as it is now writes, and its definitions.</summary>
    private (Dictionary<string, byte[]> Outputs, int Definitions) CleanBuild()
    {
        var files = new List<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(_tree.Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_tree.Root, path);
            if (!relative.StartsWith("gen", StringComparison.Ordinal) && !relative.StartsWith(".kiln", StringComparison.Ordinal))
            {
                files.Add((relative, File.ReadAllText(path)));
            }
        }

        using var copy = new TempTree([.. files]);
        var config = KilnConfig.Load(copy.Root, out var diagnostics)!;
        Assert.Empty(diagnostics);
        var report = Build(new WorkspaceBuilder(config, useCache: false));
        return (Outputs(copy.Root), report.Definitions);
    }

    /// <summary>The outputs on disk are a clean build's, byte for byte, with as many definitions, and the next process finds them up to date.</summary>
    private void AssertLikeACleanBuild(BuildReport report)
    {
        var built = Outputs(_tree.Root);
        var (clean, definitions) = CleanBuild();
        Assert.Equal(clean.Keys.Order(), built.Keys.Order());
        foreach (var (path, bytes) in clean)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(built[path]), path);
        }

        Assert.Equal(definitions, report.Definitions);
        Assert.True(Build().UpToDate);
    }

    [Fact]
    public void A_new_process_sees_inputs_added_in_any_folder_the_globs_reach()
    {
        _tree.Write("kiln.json", Config.Replace("\"inputs\": [\"protos/**/*.proto\"]", "\"inputs\": [\"protos/**/*.proto\", \"protos/later/*.proto\"]", StringComparison.Ordinal));
        Assert.Equal(6, Build().Inputs);
        Assert.True(Build().UpToDate);

        // A file in a folder listed last time, one in new folders, one in the folder a pattern
        // names that did not exist (watched through its parent).
        _tree.Write("protos/other/second.proto", "syntax = \"proto3\";\npackage other;\nmessage Second {}\n");
        Assert.Equal(7, Build().Inputs);
        _tree.Write("protos/new/deeper/third.proto", "syntax = \"proto3\";\npackage other;\nmessage Third {}\n");
        Assert.Equal(8, Build().Inputs);
        _tree.Write("protos/later/fourth.proto", "syntax = \"proto3\";\npackage other;\nmessage Fourth {}\n");
        var report = Build();
        Assert.Equal(9, report.Inputs);
        Assert.Contains(report.Written, p => p.EndsWith("Fourth.cs", StringComparison.Ordinal));
        Assert.True(Build().UpToDate);
    }

    [Fact]
    public void A_new_process_reads_only_the_edited_file_and_what_its_edit_reaches()
    {
        var full = Build();
        Assert.Equal(6, full.FilesLoaded); // 4 .proto, 2 .thrift

        // A comment: the file alone (it imports nothing; its exports are the same, so no importer),
        // and no Thrift file.
        Thread.Sleep(20);
        _tree.Write("protos/base/common.proto", File.ReadAllText(_tree["protos/base/common.proto"]).Replace("A point on the map.", "A point, in metres.", StringComparison.Ordinal));
        var report = Build();
        Assert.Equal(1, report.FilesLoaded);
        Assert.Equal(["common.proto"], Names(report.GeneratedInputs));
        Assert.Equal(full.Definitions, report.Definitions);

        // A field: the file, its import, and its importers, directly or not; never unrelated.proto.
        _tree.Write("protos/app/shape.proto", File.ReadAllText(_tree["protos/app/shape.proto"]).Replace("repeated base.Point points = 1;", "repeated base.Point points = 1; string label = 2;", StringComparison.Ordinal));
        report = Build();
        Assert.Equal(3, report.FilesLoaded);
        Assert.Equal(["route.proto", "shape.proto"], Names(report.GeneratedInputs));
        Assert.Equal(["Shape.cs"], Names(report.Written));
        Assert.Equal(4, report.Reused); // common and unrelated (not read), the Thrift files
        Assert.Equal(full.Definitions, report.Definitions);

        AssertLikeACleanBuild(report);
    }

    [Fact]
    public void A_new_process_reads_only_the_thrift_files_an_edit_reaches()
    {
        _tree.Write("thrift/other.thrift", "namespace netstd Other\nstruct Alone { 1: i32 id }\n");
        Build();

        // svc.thrift includes base.thrift: an edit to base reads both, never other.thrift.
        _tree.Write("thrift/base.thrift", "namespace netstd Base\n// A thing.\nstruct Thing { 1: i32 id, 2: string name }\n");
        var report = Build();
        Assert.Equal(2, report.FilesLoaded);
        Assert.Equal(["base.thrift", "svc.thrift"], Names(report.GeneratedInputs));
        Assert.Equal(["Thing.cs"], Names(report.Written));

        AssertLikeACleanBuild(report);

        // An error makes it a full build, which reports it as a full build does.
        _tree.Write("thrift/other.thrift", "namespace netstd Other\nstruct Alone { 1: Missing id }\n");
        report = new WorkspaceBuilder(LoadConfig()).Build();
        Assert.Contains(report.Diagnostics, d => d.IsError && d.Path.EndsWith("other.thrift", StringComparison.Ordinal));
        Assert.Equal(3, report.FilesLoaded); // every .thrift file; no .proto (none changed)
    }

    [Fact]
    public void A_new_process_replays_the_warnings_of_the_files_it_did_not_read()
    {
        _tree.Write("protos/other/unrelated.proto", "syntax = \"proto3\";\npackage other;\nimport \"base/common.proto\";\nmessage Lonely { string name = 1; }\n");
        var full = Build();
        var warning = Assert.Single(full.Diagnostics);
        Assert.Contains("unused", warning.Message, StringComparison.OrdinalIgnoreCase);

        _tree.Write("protos/app/route.proto", File.ReadAllText(_tree["protos/app/route.proto"]).Replace("A route along a shape.", "A route.", StringComparison.Ordinal));
        var report = Build();
        Assert.Equal(1 + 2, report.FilesLoaded); // route.proto and its imports
        Assert.Equal([warning], report.Diagnostics);
    }

    [Fact]
    public void A_new_process_that_finds_a_new_name_which_may_clash_checks_the_whole_workspace()
    {
        _tree.Write("protos/app/extra.proto", "syntax = \"proto3\";\npackage app;\nmessage Extra { int32 n = 1; }\n");
        Build();

        // app.Route is defined by route.proto, which extra.proto neither imports nor is imported by.
        _tree.Write("protos/app/extra.proto", "syntax = \"proto3\";\npackage app;\nmessage Extra { int32 n = 1; }\nmessage Route { int32 m = 1; }\n");
        var report = new WorkspaceBuilder(LoadConfig()).Build();
        var error = Assert.Single(report.Diagnostics, d => d.IsError);
        Assert.Contains("\"app.Route\" is already defined in file", error.Message, StringComparison.Ordinal);

        // A nested name cannot clash without its message clashing: that edit stays partial.
        _tree.Write("protos/app/extra.proto", "syntax = \"proto3\";\npackage app;\nmessage Extra { int32 n = 1; int32 Route = 2; }\n");
        report = Build();
        Assert.Equal(7, report.FilesLoaded); // after an error build, a full one
        _tree.Write("protos/app/extra.proto", "syntax = \"proto3\";\npackage app;\nmessage Extra { int32 n = 1; int32 Route = 2; int32 Shape = 3; }\n");
        report = Build();
        Assert.Equal(1, report.FilesLoaded);
    }

    [Fact]
    public void A_new_process_restores_a_deleted_output_of_a_file_nobody_edited()
    {
        Build();
        File.Delete(_tree["gen/proto/Unrelated.cs"]);
        var report = Build();
        Assert.Equal(1, report.FilesLoaded); // unrelated.proto
        Assert.Equal(["Unrelated.cs"], Names(report.Written));
        Assert.True(File.Exists(_tree["gen/proto/Unrelated.cs"]));
        Assert.True(Build().UpToDate);
    }

    [Fact]
    public void Errors_keep_the_last_good_outputs_and_are_reported_with_positions()
    {
        Build();
        _tree.Write("protos/app/route.proto", "syntax = \"proto3\";\npackage app;\nmessage Route { Missing along = 1; }\n");
        var report = new WorkspaceBuilder(LoadConfig()).Build();
        var error = Assert.Single(report.Diagnostics, d => d.IsError);
        Assert.EndsWith("route.proto", error.Path, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.True(File.Exists(_tree["gen/proto/Route.cs"]));
        Assert.Empty(report.Deleted);

        // A build after an error build is never "up to date": the errors are found again.
        Assert.Contains(new WorkspaceBuilder(LoadConfig()).Build().Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_new_process_with_a_warm_cache_generates_nothing()
    {
        Build();
        Directory.Delete(_tree["gen"], recursive: true);
        File.Delete(LoadConfig().StateFile);
        var report = Build();
        Assert.Empty(report.GeneratedInputs);
        Assert.Equal(6, report.CacheHits);
        Assert.Equal(7, report.Written.Count);
    }

    [Fact]
    public void Corrupt_or_truncated_cache_entries_are_rebuilt_never_trusted()
    {
        Build();
        var expected = Snapshot().ToDictionary(p => p.Key, p => p.Value.Bytes);
        var entries = Directory.GetFiles(LoadConfig().CacheDirectory, "*.kc", SearchOption.AllDirectories);
        Assert.Equal(6, entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var bytes = File.ReadAllBytes(entries[i]);
            if (i % 2 == 0)
            {
                File.WriteAllBytes(entries[i], bytes[..(bytes.Length / 2)]); // truncated
            }
            else
            {
                bytes[^1] ^= 0x5a; // one byte flipped in the compressed payload
                File.WriteAllBytes(entries[i], bytes);
            }
        }

        Directory.Delete(_tree["gen"], recursive: true);
        File.Delete(LoadConfig().StateFile);
        var report = Build();
        Assert.Equal(0, report.CacheHits);
        Assert.Equal(6, report.Generated);
        Assert.Equal(expected, Snapshot().ToDictionary(p => p.Key, p => p.Value.Bytes));
        Assert.Equal(6, Directory.GetFiles(LoadConfig().CacheDirectory, "*.kc", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void An_output_deleted_or_replaced_is_restored_and_one_edited_in_place_by_the_next_real_build()
    {
        Build();
        File.Delete(_tree["gen/proto/Common.cs"]);
        var report = Build();
        Assert.False(report.UpToDate);
        Assert.Equal(["Common.cs"], Names(report.Written));

        // Saved by rename, as most editors save: the folder's stamp changes.
        _tree.Write("gen/proto/Route.cs.new", "// edited");
        File.Move(_tree["gen/proto/Route.cs.new"], _tree["gen/proto/Route.cs"], overwrite: true);
        report = Build();
        Assert.Equal(["Route.cs"], Names(report.Written));

        // Written in place: a no-op build checks the output folders, not every output; the next
        // build that has anything to do compares every output's stamp.
        File.WriteAllText(_tree["gen/proto/Shape.cs"], "// edited");
        Assert.True(Build().UpToDate);
        Thread.Sleep(20);
        _tree.Write("protos/other/unrelated.proto", File.ReadAllText(_tree["protos/other/unrelated.proto"]) + "\n// edited\n");
        report = Build();
        Assert.Equal(["Shape.cs"], Names(report.Written));
    }

    [Fact]
    public void The_state_file_when_damaged_means_a_full_build()
    {
        Build();
        var state = LoadConfig().StateFile;
        File.WriteAllBytes(state, File.ReadAllBytes(state)[..10]);
        Assert.Null(BuildState.Load(state));
        var report = Build();
        Assert.False(report.UpToDate);
        Assert.Empty(report.Written);
    }

    [Fact]
    public void Two_inputs_writing_one_path_is_an_error()
    {
        _tree.Write("protos/other/common.proto", "syntax = \"proto3\";\npackage other2;\nmessage Other { }\n");
        var report = new WorkspaceBuilder(LoadConfig()).Build();
        Assert.Contains(report.Diagnostics, d => d.IsError && d.Code == "KLN0006");
    }

    [Fact]
    public void Config_errors_name_line_and_column()
    {
        _tree.Write("kiln.json", "{\n  \"protobuf\": {\n    \"inputz\": [\"*.proto\"]\n  }\n}\n");
        Assert.Null(KilnConfig.Load(_tree.Root, out var diagnostics));
        var d = Assert.Single(diagnostics);
        Assert.Equal((3, 15), (d.Line, d.Column));
        Assert.Contains("unknown setting \"inputz\"", d.Message, StringComparison.Ordinal);

        _tree.Write("kiln.json", "{\n  \"protobuf\": {\n    \"inputs\": [\"*.proto\"\n  }\n}\n");
        Assert.Null(KilnConfig.Load(_tree.Root, out diagnostics));
        Assert.Equal(4, Assert.Single(diagnostics).Line);
    }

    [Fact]
    public void Without_a_kiln_json_every_idl_file_is_compiled_into_gen()
    {
        // The folder is the import path: imports are written relative to it.
        File.Delete(_tree["kiln.json"]);
        Directory.Delete(_tree["protos/app"], recursive: true);
        _tree.Write("protos/app/uses.proto", "syntax = \"proto3\";\nimport \"protos/base/common.proto\";\nmessage Uses { base.Point p = 1; }\n");
        var config = LoadConfig();
        Assert.Null(config.File);
        var report = Build(new WorkspaceBuilder(config));
        Assert.Contains(report.Written, p => p.EndsWith(Path.Combine("gen", "thrift", "Base", "Thing.cs"), StringComparison.Ordinal));
        Assert.Contains(report.Written, p => p.EndsWith(Path.Combine("gen", "protobuf", "Uses.cs"), StringComparison.Ordinal));
        Assert.Equal(5, report.Inputs);
    }

    [Fact]
    public void The_starter_file_is_valid()
    {
        _tree.Write("kiln.json", KilnConfig.StarterText);
        var config = LoadConfig();
        Assert.NotNull(config.Protobuf?.Grpc);
        Assert.Equal(Path.Combine(_tree.Root, "gen", "thrift"), config.Thrift?.Netstd?.Out);
    }

    /// <summary>A config that names its files (as Kiln.MSBuild does) builds exactly those: no glob, the files sorted and each once.</summary>
    [Fact]
    public void Named_files_are_the_inputs_and_the_globs_are_not_used()
    {
        var config = LoadConfig();
        var shape = _tree["protos/app/shape.proto"];
        var common = _tree["protos/base/common.proto"];
        config = config with
        {
            Protobuf = config.Protobuf! with { Inputs = ["nothing/**/*.proto"], Files = [shape, common, shape] },
            Thrift = null,
        };

        Assert.Equal([shape, common], config.SelectProtobuf());
        var first = Build(new WorkspaceBuilder(config));
        Assert.Equal(["Common.cs", "Shape.cs", "ShapeGrpc.cs"], Names(first.Written));
        Assert.Equal(2, first.Inputs);
        Assert.True(Build(new WorkspaceBuilder(config)).UpToDate);

        // One more named file: the selection changed, so the next build is not up to date.
        var more = config with { Protobuf = config.Protobuf with { Files = [shape, common, _tree["protos/other/unrelated.proto"]] } };
        var second = Build(new WorkspaceBuilder(more));
        Assert.False(second.UpToDate);
        Assert.Equal(["Unrelated.cs"], Names(second.Written));
    }

    /// <summary>A named file that does not exist is an error that names it, never a file silently left out.</summary>
    [Fact]
    public void A_named_file_that_does_not_exist_is_an_error()
    {
        var config = LoadConfig();
        var missing = Path.Combine(_tree.Root, "protos", "app", "missing.proto");
        config = config with { Protobuf = config.Protobuf! with { Files = [_tree["protos/base/common.proto"], missing] }, Thrift = null };

        var report = new WorkspaceBuilder(config).Build();
        var error = Assert.Single(report.Diagnostics, d => d.IsError);
        Assert.Contains("missing.proto", error.Path + error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Another tool's file written beside the outputs (a compiler writing into obj/ after Kiln) does
    /// not make the next build rebuild; an output removed from that folder still does.
    /// </summary>
    [Fact]
    public void A_foreign_file_beside_the_outputs_keeps_the_build_up_to_date()
    {
        Build();
        File.WriteAllText(Path.Combine(_tree["gen"], "proto", "written-by-someone-else.txt"), "x");
        Assert.True(Build().UpToDate);

        var common = Directory.EnumerateFiles(_tree["gen"], "Common.cs", SearchOption.AllDirectories).Single();
        File.Delete(common);
        var rebuilt = Build();
        Assert.False(rebuilt.UpToDate);
        Assert.Equal(["Common.cs"], Names(rebuilt.Written));
    }

    /// <summary>A state file whose folder is made inside an output folder (Kiln.MSBuild's obj/) leaves that folder's stamp as the state recorded it.</summary>
    [Fact]
    public void The_state_folder_made_inside_an_output_folder_does_not_stale_its_stamp()
    {
        var config = LoadConfig();
        config = config with { StateFile = Path.Combine(_tree["gen"], "proto", "kiln", "state"), Thrift = null };
        Build(new WorkspaceBuilder(config));
        var state = BuildState.Load(config.StateFile);
        Assert.NotNull(state);
        Assert.NotEmpty(state.OutputFolders);
        foreach (var (folder, stamp) in state.OutputFolders)
        {
            Assert.Equal(stamp, FileStamp.OfFolder(folder));
        }
    }

    /// <summary>
    /// A remembered state (the build server's) answers only while its file keeps the stamp it had:
    /// a build by another process, or a deleted state, is seen; and builds through it behave as
    /// builds through the file.
    /// </summary>
    [Fact]
    public void A_remembered_state_answers_only_while_its_file_is_unchanged()
    {
        BuildState.Remember = true;
        try
        {
            var config = LoadConfig();
            Build();
            var saved = BuildState.Load(config.StateFile);
            Assert.NotNull(saved);
            Assert.Same(saved, BuildState.Load(config.StateFile));
            Assert.True(Build().UpToDate);

            // Another writer of the state file (here: the same bytes written anew, so a new stamp).
            Thread.Sleep(20);
            File.WriteAllBytes(config.StateFile, File.ReadAllBytes(config.StateFile));
            var reread = BuildState.Load(config.StateFile);
            Assert.NotSame(saved, reread);
            Assert.Same(reread, BuildState.Load(config.StateFile));

            // An edit, then a deleted state: the first builds the edit only, the second everything.
            Thread.Sleep(20);
            _tree.Write("protos/other/unrelated.proto", File.ReadAllText(_tree["protos/other/unrelated.proto"]).Replace("string name = 1;", "string name = 1; int32 n = 2;", StringComparison.Ordinal));
            Assert.Equal(["Unrelated.cs"], Names(Build().Written));
            Assert.True(Build().UpToDate);
            File.Delete(config.StateFile);
            Assert.Null(BuildState.Load(config.StateFile));
            Assert.False(Build().UpToDate);
        }
        finally
        {
            BuildState.Remember = false;
        }
    }

    /// <summary>
    /// MSBuild's process saves the state on a pool thread while its build goes on: the next load
    /// waits for the save, and a save that failed leaves the state before it (a safe one: its
    /// inputs' stamps make the next build read what changed again) and is reported once, as a
    /// warning, by the next build of the state in the process.
    /// </summary>
    [Fact]
    public void A_state_saved_in_the_background_is_read_by_the_next_build_and_a_failed_save_is_said_once()
    {
        var config = LoadConfig();
        WorkspaceBuilder Builder() => new(config) { SaveStateInBackground = true };
        Assert.False(Build(Builder()).UpToDate);
        Assert.NotNull(BuildState.Load(config.StateFile));
        Assert.True(Build(Builder()).UpToDate);

        // A folder where the state file goes: the rename that replaces it fails.
        Thread.Sleep(20);
        _tree.Write("protos/other/unrelated.proto", File.ReadAllText(_tree["protos/other/unrelated.proto"]).Replace("string name = 1;", "string name = 1; int32 n = 2;", StringComparison.Ordinal));
        File.Delete(config.StateFile);
        Directory.CreateDirectory(config.StateFile);
        var failed = Build(Builder());
        Assert.DoesNotContain(failed.Diagnostics, d => d.Code == "KLN0011");
        BuildState.FlushSaves();
        Directory.Delete(config.StateFile);

        var next = Build(Builder());
        var warning = Assert.Single(next.Diagnostics, d => d.Code == "KLN0011");
        Assert.Equal(Kiln.Text.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains(Path.GetFileName(config.StateFile), warning.Message, StringComparison.Ordinal);
        Assert.False(next.UpToDate); // no state to compare with: everything read again

        var after = Build(Builder());
        Assert.True(after.UpToDate);
        Assert.DoesNotContain(after.Diagnostics, d => d.Code == "KLN0011"); // said once, and not kept in the state
    }

    /// <summary>
    /// A builder that saves its state in the background copies what its build produced into its own
    /// records only when it builds again (or is asked for its inputs): building again with it,
    /// in full or after a known edit, gives what a builder that copied them at once gives.
    /// </summary>
    [Fact]
    public void A_builder_that_saves_in_the_background_builds_again_from_what_it_produced()
    {
        var builder = new WorkspaceBuilder(LoadConfig()) { SaveStateInBackground = true };
        Assert.False(Build(builder).UpToDate);
        Assert.Contains(_tree["protos/other/unrelated.proto"], builder.InputFiles);
        Assert.Empty(Build(builder).Written);

        Thread.Sleep(20);
        var edited = _tree["protos/other/unrelated.proto"];
        _tree.Write("protos/other/unrelated.proto", File.ReadAllText(edited).Replace("string name = 1;", "string name = 1; int32 n = 2;", StringComparison.Ordinal));
        Assert.Equal(["Unrelated.cs"], Names(Build(builder, [edited]).Written));

        builder.Flush(); // a build after a known edit (watch mode's) saves as watch mode does
        var fresh = new WorkspaceBuilder(LoadConfig()) { SaveStateInBackground = true };
        Assert.True(Build(fresh).UpToDate); // the state the reused builder saved
    }
}
