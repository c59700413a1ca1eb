using System.Globalization;
using System.Text;

namespace Kiln.Thrift.Bench;

/// <summary>
/// A deterministic in-memory corpus shaped like <c>Kiln.Bench.ThriftCorpus</c>'s bottom layer
/// (no includes, so each file binds on its own): an enum, typedefs, constants, doc-commented
/// structs whose fields cover base types, containers, defaults and references, an exception, a
/// union and a service.
/// </summary>
public static class Corpus
{
    public static IReadOnlyList<(string Path, string Text)> Generate(int targetLines, out int lines)
    {
        var files = new List<(string, string)>();
        lines = 0;
        for (var index = 0; lines < targetLines; index++)
        {
            var text = File(index);
            files.Add(($"bench/f{index}.thrift", text));
            lines += text.AsSpan().Count('\n');
        }

        return files;
    }

    private static string File(int index)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append(c, $"// Bench file {index}.\nnamespace netstd Bench.F{index}\nnamespace java bench.f{index}\n\n");
        b.Append("/** The kinds of things. */\nenum Kind {\n  NONE = 0,\n  SMALL = 1,\n  MEDIUM = 2,\n  LARGE = 3,\n}\n\n");
        b.Append("typedef i64 Timestamp\ntypedef map<string, string> Labels\n\n");
        b.Append(c, $"const i32 VERSION = {index}\nconst list<string> NAMES = [\"alpha\", \"beta\", \"gamma\"]\nconst map<string, i32> LIMITS = {{\"low\": 1, \"high\": 100}}\n\n");
        const int records = 8;
        for (var r = 0; r < records; r++)
        {
            b.Append(c, $"/**\n * Record {r} of file {index}.\n */\nstruct Record{r} {{\n");
            b.Append("  1: required i64 id\n  2: optional string name = \"unnamed\"\n  3: Kind kind = Kind.SMALL\n  4: list<i32> values\n");
            b.Append("  5: set<string> tags\n  6: Labels labels\n  7: Timestamp created\n  8: optional binary payload\n");
            b.Append("  9: double score = 1.5\n  10: bool active = true\n");
            if (r > 0)
            {
                b.Append(c, $"  11: optional list<Record{r - 1}> previous\n");
            }

            b.Append("}\n\n");
        }

        b.Append("exception NotFound {\n  1: string message\n  2: i64 id\n}\n\n");
        b.Append("union Choice {\n  1: i32 number\n  2: string text\n  3: Record0 record\n}\n\n");
        b.Append(c, $"service Service{index} {{\n");
        for (var r = 0; r < 6; r++)
        {
            b.Append(c, $"  /** Gets record {r}. */\n  Record{r} get{r}(1: i64 id, 2: string name) throws (1: NotFound notFound)\n");
        }

        b.Append("  oneway void ping(1: i32 sequence)\n  void reset()\n}\n");
        return b.ToString();
    }
}
