using System.Diagnostics;
using System.Globalization;
using Kiln.Text;
using Kiln.Thrift.Semantics;

namespace Kiln.Thrift.Tests;

/// <summary>
/// Mutated real IDL (byte deletions, insertions, duplications, truncations; fixed seed) through
/// parse and bind: no exception, and every case terminates. About 8 seconds by default;
/// <c>KILN_FUZZ_SECONDS</c> sets another budget.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "<", ">", "[", "]", ",", ";", ":", "=", "\"", "'", "/*", "/**", "*/", "//", "#", "\n",
        "list<", "map<", "set<", "struct ", "service ", "enum ", "const ", "typedef ", "include \"x.thrift\"\n",
        "extends ", "throws (", "oneway ", "void ", "required ", "optional ", "1:", "-1:", "0x", "1e", "9999999999999999999999",
        "senum ", "slist ", "byte ", "uuid ", "&", "*", "\\", ".", "true", "false", "xsd_attrs {", "cpp_type \"x\"",
    ];

    [Fact]
    public async Task Mutated_corpus_files_never_throw_and_always_terminate()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("KILN_FUZZ_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var configured) ? configured : 8;
        var seeds = SeedTexts();
        Assert.NotEmpty(seeds);

        var current = "";
        var cases = 0;
        var work = Task.Run(() =>
        {
            var random = new Random(20240601);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var (path, text) = seeds[random.Next(seeds.Count)];
                var mutated = Mutate(text, random);
                current = mutated;
                try
                {
                    var compilation = CompileMutated(path, mutated, seeds);
                    _ = compilation.Diagnostics.Count;
                    _ = compilation.Root.Model.GetHashCode();
                }
                catch (Exception exception)
                {
                    Assert.Fail($"{exception}\n--- input ({path}, mutated):\n{mutated}");
                }

                cases++;
            }
        }, TestContext.Current.CancellationToken);

        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(seconds + 60), TestContext.Current.CancellationToken));
        Assert.True(finished == work, $"a case did not terminate within a minute:\n{current}");
        await work;
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz: {cases} cases in {seconds} s");
    }

    private static ThriftCompilation CompileMutated(string path, string text, List<(string Path, string Text)> seeds)
    {
        var parsed = ThriftParser.Parse(new SourceText(path, text));
        return ThriftCompilation.Create(parsed, (include, from) =>
        {
            var name = Path.GetFileName(include);
            foreach (var (seedPath, seedText) in seeds)
            {
                if (Path.GetFileName(seedPath) == name && seedPath != from)
                {
                    return ThriftParser.Parse(seedPath, seedText);
                }
            }

            return null;
        });
    }

    private static List<(string Path, string Text)> SeedTexts()
    {
        var seeds = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(Golden.TestDataDirectory, "*.thrift", SearchOption.AllDirectories))
        {
            seeds.Add((Path.GetRelativePath(Golden.TestDataDirectory, file).Replace('\\', '/'), File.ReadAllText(file)));
        }

        if (Corpus.Root is { } root)
        {
            foreach (var file in Corpus.Files(root))
            {
                seeds.Add((file, File.ReadAllText(Path.Combine(root, file))));
            }
        }

        seeds.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return seeds;
    }

    internal static string Mutate(string text, Random random)
    {
        var chars = new List<char>(text);
        var count = 1 + random.Next(8);
        for (var i = 0; i < count; i++)
        {
            var position = chars.Count == 0 ? 0 : random.Next(chars.Count + 1);
            switch (random.Next(6))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveRange(Math.Min(position, chars.Count - 1), Math.Min(1 + random.Next(16), chars.Count - Math.Min(position, chars.Count - 1)));
                    break;
                case 1:
                    chars.InsertRange(position, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    chars.Insert(position, (char)random.Next(0, 128));
                    break;
                case 3 when chars.Count > 0:
                    var start = random.Next(chars.Count);
                    var length = Math.Min(1 + random.Next(200), chars.Count - start);
                    chars.InsertRange(position, chars.GetRange(start, length));
                    break;
                case 4:
                    chars.RemoveRange(position, chars.Count - position);
                    break;
                default:
                    if (chars.Count > 0)
                    {
                        chars[Math.Min(position, chars.Count - 1)] = (char)random.Next(0, 0x3000);
                    }

                    break;
            }
        }

        return new string([.. chars]);
    }
}
