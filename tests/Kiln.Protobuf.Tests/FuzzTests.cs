using System.Diagnostics;
using Kiln.Text;

namespace Kiln.Protobuf.Tests;

/// <summary>
/// Mutation fuzzing of the parser and linker: fixed seed, ~10 s (<c>KILN_FUZZ_SECONDS</c> for longer).
/// No input may throw or hang.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] s_fragments =
    [
        "{", "}", "[", "]", "(", ")", "<", ">", ";", ",", "=", ".", "-", "\"", "'", "/*", "*/", "//", "\n", "\t", "\\", "\0", "é",
        "message", "enum", "service", "rpc", "option", "oneof", "map<string,int32>", "extend", "extensions", "reserved", "to", "max",
        "optional", "repeated", "required", "group", "syntax = \"proto2\";", "edition = \"2023\";", "import", "public", "weak",
        "0x", "07", "1e", ".5", "inf", "nan", "(", "(foo).bar", "{ a: 1 }", "default", "json_name", "stream", "returns",
    ];

    [Fact]
    public void Mutated_inputs_never_throw_or_hang()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("KILN_FUZZ_SECONDS"), out var s) ? s : 10;
        var dataDir = Path.Combine(AppContext.BaseDirectory, "TestData");
        var seeds = Directory.GetFiles(dataDir, "*.proto").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var random = new Random(12345);
        var stopwatch = Stopwatch.StartNew();
        var runs = 0;
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            var text = Mutate(seeds[random.Next(seeds.Length)], random);
            var run = Stopwatch.StartNew();
            try
            {
                var files = new Dictionary<string, string> { ["fuzz.proto"] = text, ["dep_common.proto"] = seeds[random.Next(seeds.Length)] };
                var compilation = new ProtoCompilation(p => files.TryGetValue(p, out var t) ? new SourceText(p, t) : null);
                compilation.BuildDescriptorSet(["fuzz.proto"], includeImports: true, includeSourceInfo: random.Next(2) == 0, out _);
                _ = compilation.Compile("fuzz.proto")?.ToByteArray(includeSourceInfo: true);
            }
            catch (Exception e)
            {
                Assert.Fail($"input #{runs} threw {e}\n--- input ---\n{text}");
            }

            Assert.True(run.Elapsed.TotalSeconds < 5, $"input #{runs} took {run.Elapsed.TotalSeconds:F1} s\n--- input ---\n{text}");
            runs++;
        }

        // Deep nesting must be a diagnostic, not a stack overflow.
        var deep = "syntax = \"proto2\";\n" + string.Concat(Enumerable.Repeat("message M {", 5000)) + string.Concat(Enumerable.Repeat("}", 5000));
        var parsed = ProtoParser.Parse(new SourceText("deep.proto", deep));
        Assert.True(parsed.HasErrors);
        var groups = "syntax = \"proto2\";\nmessage M {" + string.Concat(Enumerable.Repeat("optional group G = 1 {", 5000)) + string.Concat(Enumerable.Repeat("}", 5001));
        Assert.True(ProtoParser.Parse(new SourceText("groups.proto", groups)).HasErrors);
        var aggregate = "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\noption (x) = " + string.Concat(Enumerable.Repeat("{a:", 5000)) + string.Concat(Enumerable.Repeat("}", 5000)) + ";";
        _ = ProtoParser.Parse(new SourceText("aggregate.proto", aggregate));
        output.WriteLine($"{runs} mutated inputs in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new System.Text.StringBuilder(text);
        var mutations = random.Next(1, 8);
        for (var i = 0; i < mutations; i++)
        {
            var pos = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Insert(pos, s_fragments[random.Next(s_fragments.Length)]);
                    break;
                case 1:
                    chars.Remove(pos, Math.Min(random.Next(1, 20), chars.Length - pos));
                    break;
                case 2:
                    if (chars.Length > 0)
                    {
                        chars[pos] = (char)random.Next(0, 128);
                    }

                    break;
                default:
                    var start = chars.Length == 0 ? 0 : random.Next(chars.Length);
                    var len = Math.Min(random.Next(1, 40), chars.Length - start);
                    chars.Insert(pos, chars.ToString(start, len));
                    break;
            }
        }

        return chars.ToString();
    }
}
