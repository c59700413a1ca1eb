using Kiln.Text;

namespace Kiln.Protobuf.Tests;

/// <summary>protoc's JSON-name uniqueness check (errors in proto3 and editions, warnings in proto2), against protoc itself.</summary>
public sealed class JsonNameConflictTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "proto3_default", "syntax = \"proto3\";\nmessage M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n" },
        { "proto3_custom", "syntax = \"proto3\";\nmessage M {\n  int32 a = 1 [json_name = \"x\"];\n  int32 b = 2 [json_name = \"x\"];\n  int32 x = 3;\n}\n" },
        { "proto3_brackets", "syntax = \"proto3\";\nmessage M {\n  int32 a = 1 [json_name = \"[ext]\"];\n}\n" },
        { "proto3_custom_avoids", "syntax = \"proto3\";\nmessage M {\n  int32 foo_bar = 1 [json_name = \"one\"];\n  int32 fooBar = 2;\n}\n" },
        { "proto3_legacy", "syntax = \"proto3\";\nmessage M {\n  option deprecated_legacy_json_field_conflicts = true;\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n" },
        { "proto2_warns", "syntax = \"proto2\";\nmessage M {\n  optional int32 foo_bar = 1;\n  optional int32 fooBar = 2;\n  message N { optional int32 a_b = 1; optional int32 aB = 2; }\n}\n" },
        { "proto2_custom_errors", "syntax = \"proto2\";\nmessage M {\n  optional int32 a = 1 [json_name = \"x\"];\n  optional int32 b = 2 [json_name = \"x\"];\n}\n" },
        { "editions_legacy_feature", "edition = \"2023\";\noption features.json_format = LEGACY_BEST_EFFORT;\nmessage M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n  message N {\n    option features.json_format = ALLOW;\n    int32 a_b = 1;\n    int32 aB = 2;\n  }\n}\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kiln_reports_what_protoc_reports(string name, string text)
    {
        Peers.RequireProtoc();
        var dir = Directory.CreateTempSubdirectory("kiln-json-");
        try
        {
            var file = name + ".proto";
            File.WriteAllText(Path.Combine(dir.FullName, file), text);
            var (exit, stderr) = Peers.Run(dir.FullName, ["-I.", "--descriptor_set_out=" + Path.Combine(dir.FullName, "out.pb"), file]);
            var expected = stderr.Split('\n').Where(l => l.Contains("JSON name", StringComparison.Ordinal)).ToList();

            var compilation = new ProtoCompilation(p => p == file ? new SourceText(p, text) : null);
            var linked = compilation.Compile(file);
            Assert.NotNull(linked);
            var actual = linked.Diagnostics.Select(d => d.ToProtocFormat()).Where(l => l.Contains("JSON name", StringComparison.Ordinal)).ToList();

            Assert.Equal(expected, actual);
            Assert.Equal(exit != 0, linked.HasErrors);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
