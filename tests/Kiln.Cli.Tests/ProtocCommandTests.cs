namespace Kiln.Cli.Tests;

/// <summary><c>kiln protoc</c>: protoc's arguments, messages and exit codes, and outputs byte-identical to protoc's.</summary>
public sealed class ProtocCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kiln-protoc-tests", Guid.NewGuid().ToString("N"));

    public ProtocCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Help_explains_every_option()
    {
        var (code, output, _) = Run("protoc", "--help");
        Assert.Equal(ExitCodes.Success, code);
        foreach (var option in new[] { "--proto_path", "-IPATH", "--descriptor_set_out", "--include_imports", "--include_source_info", "--plugin", "_out", "_opt",
                     "--grpc_out", "--grpc_opt", "--csharp_out", "--csharp_opt", "@<filename>", "--fatal_warnings", "--error_format", "--dependency_out" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_flag_is_a_usage_error_naming_it()
    {
        var (code, _, error) = Run("protoc", "--frobnicate", "a.proto");
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("Unknown flag: --frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Csharp_out_writes_what_protoc_writes()
    {
        ProtocPeers.Require();
        var file = Write("src/shop_v2.proto", """
            // Shop.
            syntax = "proto2";
            package shop.v2;
            option csharp_namespace = "Shop.V2";
            /// An order.
            message Order {
              optional string id = 1 [default = "n/a"];
              optional double total = 2 [default = 3.14159265358979];
              repeated int32 lines = 3 [packed = true];
              optional group Note = 4 { optional string text = 5; }
              extensions 100 to 199;
              map<string, Order> children = 6;
              oneof pay { string card = 7; int64 cash = 8; }
            }
            extend Order { optional int32 priority = 100; }
            enum State { STATE_UNKNOWN = 0; STATE_OPEN = 1; }
            """);
        foreach (var option in new[] { "", "internal_access,serializable", "base_namespace=Shop,file_extension=.g.cs" })
        {
            var expected = Path.Combine(_dir, "expected" + option.Length);
            var actual = Path.Combine(_dir, "actual" + option.Length);
            Directory.CreateDirectory(expected);
            Directory.CreateDirectory(actual);
            var common = new[] { "-I" + Path.Combine(_dir, "src"), "--csharp_opt=" + option, file };
            var (protocCode, protocError) = ProtocPeers.RunProtoc(["--csharp_out=" + expected, .. common]);
            Assert.True(protocCode == 0, protocError);
            var (code, _, error) = Run(["protoc", "--csharp_out=" + actual, .. common]);
            Assert.True(code == ExitCodes.Success, error);
            var expectedFiles = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order().ToList();
            var actualFiles = Directory.GetFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order().ToList();
            Assert.Equal(expectedFiles, actualFiles);
            Assert.NotEmpty(expectedFiles);
            foreach (var f in expectedFiles)
            {
                Assert.Equal(File.ReadAllText(Path.Combine(expected, f)), File.ReadAllText(Path.Combine(actual, f)));
            }
        }
    }

    [Fact]
    public void Built_in_grpc_out_writes_what_grpc_csharp_plugin_writes()
    {
        ProtocPeers.Require();
        var file = Write("svc/greeter_v1.proto", """
            // Licence header.

            syntax = "proto3";
            package greet.v1;
            // Says hello.
            service Greeter {
              // One greeting.
              rpc Hello (Req) returns (Res);
              rpc Chat (stream Req) returns (stream Res) { option deprecated = true; }
            }
            message Req { string name = 1; }
            message Res { string text = 1; }
            """);
        foreach (var option in new[] { "", "no_server,internal_access", "base_namespace=Greet,file_suffix=Svc.cs" })
        {
            var expected = Path.Combine(_dir, "expected" + option.Length);
            var actual = Path.Combine(_dir, "actual" + option.Length);
            Directory.CreateDirectory(expected);
            Directory.CreateDirectory(actual);
            var common = new[] { "-I" + Path.Combine(_dir, "svc"), "--grpc_opt=" + option, file };
            var (protocCode, protocError) = ProtocPeers.RunProtoc(["--plugin=protoc-gen-grpc=" + ProtocPeers.GrpcPlugin, "--csharp_out=" + expected, "--grpc_out=" + expected, .. common]);
            Assert.True(protocCode == 0, protocError);
            var (code, _, error) = Run(["protoc", "--csharp_out=" + actual, "--grpc_out=" + actual, .. common]);
            Assert.True(code == ExitCodes.Success, error);
            var expectedFiles = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order().ToList();
            Assert.Equal(expectedFiles, Directory.GetFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order().ToList());
            Assert.Equal(2, expectedFiles.Count);
            foreach (var f in expectedFiles)
            {
                Assert.Equal(File.ReadAllText(Path.Combine(expected, f)), File.ReadAllText(Path.Combine(actual, f)));
            }
        }
    }

    [Theory]
    [InlineData("--csharp_opt=bogus", "--csharp_out: a.proto: Unknown generator option: bogus")]
    [InlineData("--csharp_opt=base_namespace=Other", "--csharp_out: a.proto: Namespace Pkg is not a prefix namespace of base namespace Other")]
    public void Csharp_generator_failures_read_as_protocs(string option, string message)
    {
        ProtocPeers.Require();
        var file = Write("a.proto", "syntax = \"proto3\";\npackage pkg;\nmessage A {}\n");
        var args = new[] { "-I" + _dir, "--csharp_out=" + _dir, option, file };
        var (protocCode, protocError) = ProtocPeers.RunProtoc(args);
        var (code, _, error) = Run(["protoc", .. args]);
        Assert.Equal(1, protocCode);
        Assert.Contains(message, protocError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_csharp_files_on_one_path_fail_and_write_nothing()
    {
        var a = Write("a/foo.proto", "syntax = \"proto3\";\npackage a;\nmessage M {}\n");
        var b = Write("b/foo.proto", "syntax = \"proto3\";\npackage b;\nmessage M {}\n");
        var output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(output);
        var (code, _, error) = Run("protoc", "-I" + _dir, "--csharp_out=" + output, a, b);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains("Foo.cs: Tried to write the same file twice.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Theory]
    [InlineData("package one.two;\nmessage Four {\n  string a = 1;\n}\n", "package one.two;\nmessage Four {\n  string a = 1;\n}\n")]
    [InlineData("package foo;\nmessage bar {}\n", "package foo.bar;\nmessage X {}\n")]
    [InlineData("package p;\nenum E { V = 0; }\nservice S {}\n", "package p;\nmessage V {}\nmessage E {}\nservice S {}\n")]
    // Known difference: after such a conflict protoc resolves later names in the shared pool (and may
    // add "seems to be defined in" errors); Kiln keeps to the conflicts themselves.
    public void Unrelated_files_of_one_run_share_protocs_pool(string first, string second)
    {
        ProtocPeers.Require();
        var a = Write("a.proto", "syntax = \"proto3\";\n" + first);
        var b = Write("b.proto", "syntax = \"proto3\";\n" + second);
        var args = new[] { "-I" + _dir, "-o", Path.Combine(_dir, "out.pb"), a, b };
        var (protocCode, protocError) = ProtocPeers.RunProtoc(args);
        var (code, _, error) = Run(["protoc", .. args]);
        Assert.Equal(1, protocCode);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Equal(protocError.Replace(_dir + "/", "", StringComparison.Ordinal).Trim(), error.Replace(_dir + "/", "", StringComparison.Ordinal).Trim());
    }

    [Fact]
    public void Errors_print_in_protocs_shape_with_the_disk_path_and_exit_one()
    {
        var file = Write("sub/bad.proto", "syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n");
        var (code, _, error) = Run("protoc", "-I" + _dir, "-o", Path.Combine(_dir, "out.pb"), file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains($"{_dir}/sub/bad.proto:3:3: \"Missing\" is not defined.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_outside_every_proto_path_is_refused()
    {
        var file = Write("a.proto", "syntax = \"proto3\";\n");
        var (code, _, error) = Run("protoc", "--proto_path=" + Path.Combine(_dir, "elsewhere"), "-o", Path.Combine(_dir, "out.pb"), file);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("File does not reside within any path specified using --proto_path (or -I)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_import_is_reported_as_protoc_does()
    {
        var file = Write("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n");
        var (code, _, error) = Run("protoc", "-I", _dir, "-o", Path.Combine(_dir, "out.pb"), file);
        Assert.Equal(ExitCodes.DiagnosticErrors, code);
        Assert.Contains("b.proto: File not found.", error, StringComparison.Ordinal);
        Assert.Contains($"{_dir}/a.proto:2:1: Import \"b.proto\" was not found or had errors.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_files_and_virtual_paths_work_and_match_protoc()
    {
        ProtocPeers.Require();
        Write("pkg/b.proto", "syntax = \"proto3\";\npackage p;\n// B.\nmessage B { optional int32 x = 1; }\n");
        Write("pkg/a.proto", "syntax = \"proto3\";\npackage p;\nimport \"pkg/b.proto\";\nmessage A { B b = 1; map<string, B> m = 2; }\n");
        var args = Write("args.txt", $"--proto_path={_dir}\n--include_imports\n--include_source_info\n-o\n{Path.Combine(_dir, "kiln.pb")}\npkg/a.proto\n");
        var (code, _, error) = Run("protoc", "@" + args);
        Assert.True(code == ExitCodes.Success, error);
        var (protocCode, protocError) = ProtocPeers.RunProtoc(["-I" + _dir, "--include_imports", "--include_source_info", "-o", Path.Combine(_dir, "protoc.pb"), "pkg/a.proto"]);
        Assert.True(protocCode == 0, protocError);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "protoc.pb")), File.ReadAllBytes(Path.Combine(_dir, "kiln.pb")));
    }

    /// <summary>A deterministic sample of the corpus: descriptor sets byte-identical, with and without imports and source info.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Descriptor_sets_are_byte_identical_to_protocs_on_a_corpus_sample(bool includeImports, bool includeSourceInfo)
    {
        ProtocPeers.Require();
        var sample = ProtocPeers.CorpusFiles().Where((_, i) => i % 400 == 7).Select(f => Path.Combine(ProtocPeers.Corpus, f)).ToList();
        var flags = new List<string> { "-I" + ProtocPeers.Corpus };
        if (includeImports)
        {
            flags.Add("--include_imports");
        }

        if (includeSourceInfo)
        {
            flags.Add("--include_source_info");
        }

        var (protocCode, protocError) = ProtocPeers.RunProtoc([.. flags, "--descriptor_set_out=" + Path.Combine(_dir, "protoc.pb"), .. sample]);
        Assert.True(protocCode == 0, protocError);
        var (code, _, error) = Run(["protoc", .. flags, "--descriptor_set_out=" + Path.Combine(_dir, "kiln.pb"), .. sample]);
        Assert.True(code == ExitCodes.Success, error);
        Assert.True(File.ReadAllBytes(Path.Combine(_dir, "protoc.pb")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir, "kiln.pb"))),
            $"descriptor sets differ for {sample.Count} files (imports: {includeImports}, source info: {includeSourceInfo})");
    }

    /// <summary>grpc_csharp_plugin through kiln protoc writes what it writes through protoc, on a sample of services.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("no_client,internal_access")]
    public void Grpc_plugin_output_matches_protocs_on_a_corpus_sample(string options)
    {
        ProtocPeers.Require();
        var services = ProtocPeers.CorpusFiles()
            .Where(f => File.ReadAllText(Path.Combine(ProtocPeers.Corpus, f)).Contains("\nservice ", StringComparison.Ordinal))
            .ToList();
        var sample = services.Where((_, i) => i % 300 == 11).ToList();
        Assert.True(sample.Count >= 4, $"only {sample.Count} services sampled");
        var protocOut = Directory.CreateDirectory(Path.Combine(_dir, "protoc")).FullName;
        var kilnOut = Directory.CreateDirectory(Path.Combine(_dir, "kiln")).FullName;
        var opt = options.Length > 0 ? new[] { "--grpc_opt=" + options } : [];
        var plugin = "--plugin=protoc-gen-grpc=" + ProtocPeers.GrpcPlugin;
        var inputs = sample.Select(f => Path.Combine(ProtocPeers.Corpus, f)).ToList();
        var (protocCode, protocError) = ProtocPeers.RunProtoc(["-I" + ProtocPeers.Corpus, plugin, "--grpc_out=" + protocOut, .. opt, .. inputs]);
        Assert.True(protocCode == 0, protocError);
        var (code, _, error) = Run(["protoc", "-I" + ProtocPeers.Corpus, plugin, "--grpc_out=" + kilnOut, .. opt, .. inputs]);
        Assert.True(code == ExitCodes.Success, error);

        var expected = Directory.GetFiles(protocOut, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(protocOut, f)).Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(kilnOut, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(kilnOut, f)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        foreach (var f in expected)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(protocOut, f)), File.ReadAllText(Path.Combine(kilnOut, f)));
        }
    }

    [Fact]
    public void Dependency_out_writes_protocs_make_rule()
    {
        ProtocPeers.Require();
        Write("pkg/b.proto", "syntax = \"proto3\";\npackage p;\nmessage B {}\n");
        Write("pkg/s.proto", "syntax = \"proto3\";\npackage p;\nimport \"pkg/b.proto\";\nservice S { rpc M(B) returns (B); }\n");
        var plugin = "--plugin=protoc-gen-grpc=" + ProtocPeers.GrpcPlugin;
        var output = Directory.CreateDirectory(Path.Combine(_dir, "out")).FullName;
        string[] args = ["-I" + _dir, plugin, "--grpc_out=" + output, "--descriptor_set_out=" + Path.Combine(_dir, "set.pb"), "--dependency_out=" + Path.Combine(_dir, "deps.d"), "pkg/s.proto"];

        var (protocCode, protocError) = ProtocPeers.RunProtoc(args);
        Assert.True(protocCode == 0, protocError);
        var expected = File.ReadAllText(Path.Combine(_dir, "deps.d"));
        File.Delete(Path.Combine(_dir, "deps.d"));
        var (code, _, error) = Run(["protoc", .. args]);
        Assert.True(code == ExitCodes.Success, error);

        Assert.Equal(expected, File.ReadAllText(Path.Combine(_dir, "deps.d")));
        Assert.Contains("SGrpc.cs \\\n", expected, StringComparison.Ordinal); // the plugin's file, then the set, then the sources

        (code, _, error) = Run("protoc", "-I" + _dir, "-o", Path.Combine(_dir, "x.pb"), "--dependency_out=" + Path.Combine(_dir, "x.d"), "pkg/s.proto", "pkg/b.proto");
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("Can only process one input file when using --dependency_out=FILE.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Grpc_out_without_a_plugin_on_the_path_fails_clearly()
    {
        var file = Write("a.proto", "syntax = \"proto3\";\nmessage A {}\n");
        var (code, _, error) = Run("protoc", "-I" + _dir, "--plugin=protoc-gen-grpc=" + Path.Combine(_dir, "absent"), "--grpc_out=" + _dir, file);
        Assert.Equal(ExitCodes.UsageOrIOError, code);
        Assert.Contains("protoc-gen-grpc: program not found or is not executable", error, StringComparison.Ordinal);
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KilnCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
