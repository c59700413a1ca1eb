using Kiln.Text;

namespace Kiln.Protobuf.Tests;

/// <summary>protoc's "Import X is unused." warnings: which imports it tracks and what counts as a use, checked against protoc itself.</summary>
public sealed class UnusedImportTests
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["dep/types.proto"] = "syntax = \"proto3\";\npackage dep;\nmessage Used {}\nmessage Other {}\nenum Color { COLOR_UNSPECIFIED = 0; }\n",
        ["dep/unused.proto"] = "syntax = \"proto3\";\npackage dep;\nmessage NeverNamed {}\n",
        ["dep/also_unused.proto"] = "syntax = \"proto3\";\npackage other;\nmessage Nope {}\n",
        ["dep/reexports.proto"] = "syntax = \"proto3\";\npackage dep;\nimport public \"dep/unused.proto\";\n",
        ["dep/opts.proto"] = "syntax = \"proto2\";\npackage dep;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FieldOptions { optional string tag = 50001; }\n",
        ["dep/enum_user.proto"] = "syntax = \"proto3\";\npackage dep;\nimport \"dep/types.proto\";\nmessage UsesEnum { Color c = 1; }\n",
        ["main.proto"] = """
            syntax = "proto3";
            package app;
            import "dep/types.proto";
            import "dep/unused.proto";
            import "dep/also_unused.proto";
            import "dep/reexports.proto";
            import public "dep/enum_user.proto";
            import "dep/opts.proto";
            import "google/protobuf/descriptor.proto";
            import "google/protobuf/empty.proto";
            message M {
              dep.Used used = 1 [(dep.tag) = "x", deprecated = true];
            }
            """,
        ["options_only.proto"] = """
            syntax = "proto3";
            package app2;
            import "google/protobuf/descriptor.proto";
            import "google/protobuf/timestamp.proto";
            option java_package = "x.y";
            message N { google.protobuf.Timestamp at = 1; }
            """,
    };

    [Theory]
    [InlineData("main.proto")]
    [InlineData("options_only.proto")]
    [InlineData("dep/enum_user.proto")]
    public void Kiln_warns_of_the_imports_protoc_warns_of(string root)
    {
        Peers.RequireProtoc();
        var dir = Directory.CreateTempSubdirectory("kiln-unused-");
        try
        {
            foreach (var (name, text) in Files)
            {
                var path = Path.Combine(dir.FullName, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }

            var (exit, stderr) = Peers.Run(dir.FullName, ["-I.", "-I" + Peers.WellKnownInclude, "--descriptor_set_out=" + Path.Combine(dir.FullName, "out.pb"), root]);
            Assert.True(exit == 0, stderr);
            var expected = stderr.Split('\n').Where(l => l.EndsWith(" is unused.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

            var compilation = new ProtoCompilation(p =>
                Files.TryGetValue(p, out var text) ? new SourceText(p, text) :
                File.Exists(Path.Combine(Peers.WellKnownInclude, p)) ? new SourceText(p, File.ReadAllText(Path.Combine(Peers.WellKnownInclude, p))) : null);
            var file = compilation.Compile(root);
            Assert.NotNull(file);
            Assert.False(file.HasErrors, string.Join("\n", file.Diagnostics));
            var actual = file.UnusedImportWarnings.Select(d => d.ToProtocFormat()).Order(StringComparer.Ordinal).ToList();

            Assert.Equal(expected, actual);
            if (root == "main.proto")
            {
                // The case is meant to warn: unused, also_unused and empty (reexports imports publicly, so it is not tracked).
                Assert.Equal(3, expected.Count);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
