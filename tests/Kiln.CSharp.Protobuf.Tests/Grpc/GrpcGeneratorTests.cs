using System.Text;
using Kiln.CSharp.Protobuf.Grpc;

namespace Kiln.CSharp.Protobuf.Tests.Grpc;

/// <summary>
/// The C# gRPC generator against grpc_csharp_plugin 2.85 on hand-written inputs (TestData/Grpc):
/// every file with every option set must give the same files, byte for byte, or the same error.
/// </summary>
public sealed class GrpcGeneratorTests
{
    private static readonly string[] s_optionSets =
    [
        "",
        "no_client",
        "no_server",
        "no_client,no_server",
        "internal_access",
        "file_suffix=.grpc.g.cs",
        "base_namespace=",
        "base_namespace=Kiln.Grpc",
        "base_namespace",
        "file_suffix=a=b",
        "append_async_suffix=true",
        "append_async_suffix=false",
        "internal_access,no_server,file_suffix=Service.cs,append_async_suffix=true,,no_client=ignored",
    ];

    /// <summary>Every .proto under TestData/Grpc except the imported helpers in deps/, as protoc names it.</summary>
    private static List<string> InputFiles()
    {
        var root = GrpcPeers.TestData;
        var files = new List<string>();
        foreach (var path in Directory.GetFiles(root, "*.proto", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (!name.StartsWith("deps/", StringComparison.Ordinal))
            {
                files.Add(name);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in InputFiles())
        {
            foreach (var options in s_optionSets)
            {
                data.Add(file, options);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_plugin(string file, string options)
    {
        GrpcPeers.Require();
        string[] includes = [GrpcPeers.TestData, GrpcPeers.WellKnownTypes];
        AssertSameAsPlugin(includes, Path.Combine(GrpcPeers.TestData, file), file, options);
    }

    /// <summary>Inputs whose bytes matter (CR LF, trailing blanks, tabs), written at run time so no editor or checkout can change them.</summary>
    public static TheoryData<string, string, string> InlineCases() => new()
    {
        {
            "crlf_comments.proto",
            "// Detached, CR LF.\r\n\r\n// Leading of syntax.\r\nsyntax = \"proto3\";\r\npackage crlf;\r\nmessage M {}\r\n// Service comment\r\n// second line\r\nservice S {\r\n  // Method comment\r\n  rpc A(M) returns (M);\r\n}\r\n",
            ""
        },
        {
            "trailing_blanks.proto",
            "// trailing blanks   \n//\t tab\n//    \nsyntax = \"proto3\";\npackage blanks;\nmessage M {}\n// comment with trailing blanks   \n//   \n// next\nservice S {\n  rpc A(M) returns (M); //   trailing  \n  /*   */\n  rpc B(M) returns (M);\n}\n",
            ""
        },
        {
            "block_only.proto",
            "/* file block */ syntax = \"proto3\";\npackage blocks;\nmessage M {}\n/**\n * Javadoc style.\n *\n * @param nothing\n */\nservice S {\n  /* one-line block */ rpc A(M) returns (M);\n}\n",
            "no_client"
        },
        {
            "leading_blank_lines.proto",
            "syntax = \"proto3\";\npackage lead;\nmessage M {}\n//\n//\n// after two empty lines\nservice S {\n  //\n  //\n  //\n  rpc A(M) returns (M);\n}\n",
            ""
        },
        {
            "v2_svc__x.protodevel",
            "syntax = \"proto3\";\npackage devel;\nmessage M {}\nservice S { rpc A(M) returns (M); }\n",
            ""
        },
        {
            "many_methods.proto",
            ManyMethods(),
            "internal_access"
        },
    };

    [Theory]
    [MemberData(nameof(InlineCases))]
    public void Inline_inputs_match_the_plugin(string file, string content, string options)
    {
        GrpcPeers.Require();
        var dir = Directory.CreateTempSubdirectory("kiln-grpc-inline-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, file), Encoding.UTF8.GetBytes(content));
            AssertSameAsPlugin([dir], Path.Combine(dir, file), file, options);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_file_without_services_gives_no_file()
    {
        var index = KilnGrpc.Compile([GrpcPeers.TestData], [Path.Combine(GrpcPeers.TestData, "no_services.proto")]);
        Assert.Null(GrpcCSharpGenerator.Generate(index.GetFile("no_services.proto"), GrpcOptions.Default));
    }

    [Fact]
    public void A_namespace_outside_the_base_namespace_is_an_error()
    {
        var index = KilnGrpc.Compile([GrpcPeers.TestData], [Path.Combine(GrpcPeers.TestData, "custom_namespace.proto")]);
        var file = index.GetFile("custom_namespace.proto");
        var options = GrpcOptions.Default with { BaseNamespace = "Company.Prod" };
        Assert.Null(GrpcCSharpGenerator.Generate(file, options, out var error));
        Assert.Equal("Namespace Company.Product.Api is not a prefix namespace of base namespace Company.Prod", error);
        var thrown = Assert.Throws<InvalidOperationException>(() => GrpcCSharpGenerator.Generate(file, options));
        Assert.Equal(error, thrown.Message);
        Assert.Equal("Product/Api/CustomNamespaceGrpc.cs", GrpcCSharpGenerator.Generate(file, options with { BaseNamespace = "Company" })!.Path);
    }

    [Theory]
    [InlineData("", true, true, false, false, "Grpc.cs", null)]
    [InlineData("no_client", false, true, false, false, "Grpc.cs", null)]
    [InlineData("no_server=whatever", true, false, false, false, "Grpc.cs", null)]
    [InlineData(",,internal_access,,", true, true, true, false, "Grpc.cs", null)]
    [InlineData("file_suffix=.g.cs", true, true, false, false, ".g.cs", null)]
    [InlineData("file_suffix", true, true, false, false, "", null)]
    [InlineData("file_suffix=a=b", true, true, false, false, "a=b", null)]
    [InlineData("base_namespace", true, true, false, false, "Grpc.cs", "")]
    [InlineData("base_namespace=Foo.Bar", true, true, false, false, "Grpc.cs", "Foo.Bar")]
    [InlineData("append_async_suffix=true", true, true, false, true, "Grpc.cs", null)]
    [InlineData("append_async_suffix", true, true, false, false, "Grpc.cs", null)]
    [InlineData("append_async_suffix=TRUE", true, true, false, false, "Grpc.cs", null)]
    [InlineData("append_async_suffix=true,append_async_suffix=false", true, true, false, false, "Grpc.cs", null)]
    public void Options_parse_as_the_plugin_parses_them(string parameter, bool client, bool server, bool internalAccess, bool asyncSuffix, string suffix, string? baseNamespace)
    {
        var options = GrpcOptions.Parse(parameter, out var error);
        Assert.Null(error);
        Assert.Equal(new GrpcOptions
        {
            GenerateClient = client,
            GenerateServer = server,
            InternalAccess = internalAccess,
            AppendAsyncSuffix = asyncSuffix,
            FileSuffix = suffix,
            BaseNamespace = baseNamespace,
        }, options);
    }

    [Theory]
    [InlineData("enable_nrt", "enable_nrt")]
    [InlineData("no_client,bogus=1,no_server", "bogus")]
    [InlineData(" no_client", " no_client")]
    [InlineData("=x", "")]
    public void Unknown_options_are_rejected_with_the_plugins_message(string parameter, string name)
    {
        Assert.Null(GrpcOptions.Parse(parameter, out var error));
        Assert.Equal("Unknown generator option: " + name, error);

        // The real plugin says the same.
        GrpcPeers.Require();
        var (files, stderr) = GrpcPeers.RunPlugin([GrpcPeers.TestData], [Path.Combine(GrpcPeers.TestData, "streaming.proto")], parameter);
        Assert.Null(files);
        Assert.Contains("--grpc_out: streaming.proto: " + error, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo.proto", "Foo")]
    [InlineData("a/b/v1beta1_my_svc2x.proto", "V1beta1MySvc2x")]
    [InlineData("_leading__double_underscore_.proto", "LeadingDoubleUnderscore")]
    [InlineData("dotted.name.v2.proto", "Dotted.name.v2")]
    [InlineData("x.protodevel", "X")]
    [InlineData("x.proto.txt", "X.proto.txt")]
    [InlineData("UPPER_case.proto", "UPPERCase")]
    [InlineData("9lives_x.proto", "9livesX")]
    public void Grpc_file_names_split_on_underscores_only(string protoName, string expected) =>
        Assert.Equal(expected, GrpcCSharpGenerator.FileNameInUpperCamel(protoName));

    /// <summary>Compiles <paramref name="diskPath"/> with Kiln and with protoc, runs both generators, and compares.</summary>
    private static void AssertSameAsPlugin(string[] includes, string diskPath, string virtualName, string parameter)
    {
        var (expected, stderr) = GrpcPeers.RunPlugin(includes, [diskPath], parameter);
        var options = GrpcOptions.Parse(parameter, out var parseError);
        if (options == null)
        {
            Assert.Null(expected);
            Assert.Contains($"--grpc_out: {virtualName}: {parseError}", stderr, StringComparison.Ordinal);
            return;
        }

        var index = KilnGrpc.Compile(includes, [diskPath]);
        var generated = GrpcCSharpGenerator.Generate(index.GetFile(virtualName), options, out var error);
        if (expected == null)
        {
            Assert.True(error != null, $"the plugin failed, Kiln did not:\n{stderr}");
            Assert.Contains($"--grpc_out: {virtualName}: {error}", stderr, StringComparison.Ordinal);
            return;
        }

        Assert.True(error == null, $"Kiln failed ({error}), the plugin did not");
        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        if (generated != null)
        {
            actual.Add(generated.Path, generated.Content);
        }

        var diff = GrpcComparison.Describe(expected, actual);
        Assert.True(diff == null, $"{virtualName} with \"{parameter}\":\n{diff}");
    }

    private static string ManyMethods()
    {
        var text = new StringBuilder("syntax = \"proto3\";\npackage many;\nmessage M0 {}\n");
        for (var i = 1; i <= 12; i++)
        {
            text.Append($"message M{i} {{}}\n");
        }

        text.Append("service Many {\n");
        for (var i = 0; i < 12; i++)
        {
            var stream = (i % 4) switch { 1 => ("stream ", ""), 2 => ("", "stream "), 3 => ("stream ", "stream "), _ => ("", "") };
            text.Append($"  rpc Method{i}({stream.Item1}M{i % 5}) returns ({stream.Item2}M{(i * 7) % 13});\n");
        }

        return text.Append("}\nservice Second { rpc Z(M12) returns (M0); }\n").ToString();
    }
}
