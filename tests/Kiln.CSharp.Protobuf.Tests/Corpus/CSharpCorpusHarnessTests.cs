using Google.Protobuf;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>
/// The comparison's own classification, on protoc's real output altered by hand: the corpus run
/// exercises these branches only when Kiln differs from protoc.
/// </summary>
public sealed class CSharpCorpusHarnessTests(CSharpCorpusFixture fixture) : IDisposable
{
    private const string Http = "Google/Api/Http.cs";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"kiln-csharp-harness-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void ClassifiesEachKindOfDifference()
    {
        var reference = fixture.Reference.Corpus;
        var original = reference.Read(Http);
        var blob = DescriptorBlob.Extract(original);
        var descriptor = DescriptorBlob.Parse(blob);
        Assert.NotNull(descriptor);
        Assert.Equal("google/api/http.proto", descriptor.Name);

        // The descriptor of a changed file: one field's json_name set.
        var changed = descriptor.Clone();
        changed.MessageType[1].Field[0].JsonName = "theSelector";
        var changedText = ReplaceBlob(original, changed.ToByteArray());
        var sources = new Dictionary<string, string>
        {
            ["a/Same.cs"] = original,
            ["a/Code.cs"] = original.Replace("public sealed partial class HttpRule", "public partial class HttpRule", StringComparison.Ordinal),
            ["a/Descriptor.cs"] = changedText,
            ["a/NoBlob.cs"] = "// nothing\n",
        };
        var expected = Tree("protoc", sources.Keys.Append("a/Missing.cs").ToDictionary(k => k, _ => original));
        var actual = Tree("kiln", sources.Append(new("a/Extra.cs", original)).ToDictionary());
        var verdicts = CSharpCorpusComparison.Compare("t", expected, new KilnCSharpRun(actual, null, null, [], TimeSpan.Zero))
            .ToDictionary(v => v.File);

        Assert.Equal(CSharpCorpusComparison.Identical, verdicts["a/Same.cs"].Kind);
        Assert.Equal(CSharpCorpusComparison.CodeDiffers, verdicts["a/Code.cs"].Kind);
        Assert.Contains("public partial class HttpRule", verdicts["a/Code.cs"].Diff, StringComparison.Ordinal);
        Assert.Equal(CSharpCorpusComparison.DescriptorDiffers, verdicts["a/Descriptor.cs"].Kind);
        Assert.Equal("message_type[1].field[0].json_name: protoc (unset), kiln \"theSelector\"", verdicts["a/Descriptor.cs"].Detail);
        Assert.Equal(CSharpCorpusComparison.DescriptorDiffers, verdicts["a/NoBlob.cs"].Kind);
        Assert.Contains("kiln's file has no readable descriptor blob", verdicts["a/NoBlob.cs"].Detail, StringComparison.Ordinal);
        Assert.Equal(CSharpCorpusComparison.MissingInKiln, verdicts["a/Missing.cs"].Kind);
        Assert.Equal(CSharpCorpusComparison.ExtraInKiln, verdicts["a/Extra.cs"].Kind);

        // A failed run: every file differs, with the run's first message as the reason.
        var failed = CSharpCorpusComparison.Compare("t", expected, new KilnCSharpRun(null, null, "kiln protoc: UsageOrIOError: not implemented yet\nmore", [], TimeSpan.Zero));
        Assert.All(failed, v => Assert.Equal((CSharpCorpusComparison.KilnRunFailed, "kiln protoc: UsageOrIOError: not implemented yet"), (v.Kind, v.Detail)));
        Assert.Equal(expected.Files.Count, failed.Count);
    }

    [Fact]
    public void ShortDiffShowsLineNumbers()
    {
        var diff = CSharpCorpusComparison.ShortDiff("a\nb\nc\n", "a\nB\nc\nd\n");
        Assert.Equal("         2 protoc| b\n         2   kiln| B\n         4 protoc| \n         4   kiln| d\n         5 protoc| (end of file)\n         5   kiln| \n    (4 lines in protoc's file, 5 in kiln's)\n", diff);
    }

    private GeneratedTree Tree(string name, Dictionary<string, string> files)
    {
        var dir = Path.Combine(_root, name);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), text);
        }

        return GeneratedTree.Load(dir);
    }

    /// <summary>The file with its embedded descriptor replaced (one string literal instead of protoc's 60-character chunks).</summary>
    private static string ReplaceBlob(string text, byte[] blob)
    {
        var start = text.IndexOf("string.Concat(", StringComparison.Ordinal) + "string.Concat(".Length;
        var end = text.IndexOf("));", start, StringComparison.Ordinal);
        return text[..start] + "\"" + Convert.ToBase64String(blob) + "\"" + text[end..];
    }
}
