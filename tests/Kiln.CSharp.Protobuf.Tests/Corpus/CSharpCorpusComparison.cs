using System.Collections.Concurrent;
using System.Text;

namespace Kiln.CSharp.Protobuf.Tests.Corpus;

/// <summary>How one generated file compares: <see cref="Kind"/> is one of the <c>CSharpCorpusComparison</c> constants.</summary>
internal sealed record FileVerdict(string Set, string File, string Kind, string Detail, string? Diff);

/// <summary>protoc's and Kiln's C# output, file by file (same relative paths).</summary>
internal static class CSharpCorpusComparison
{
    public const string Identical = "identical";
    public const string CodeDiffers = "code differs";
    public const string DescriptorDiffers = "descriptor differs";
    public const string MissingInKiln = "missing in kiln";
    public const string ExtraInKiln = "extra in kiln";
    public const string KilnRunFailed = "kiln run failed";

    /// <summary>Every reference file and every extra Kiln file of one set (<c>corpus</c> or <c>wkt</c>), sorted by path.</summary>
    public static List<FileVerdict> Compare(string set, GeneratedTree reference, KilnCSharpRun kiln)
    {
        if (kiln.Tree == null)
        {
            var reason = kiln.Failure!.Split('\n')[0];
            return [.. reference.Files.Select(f => new FileVerdict(set, f, KilnRunFailed, reason, null))];
        }

        var verdicts = new ConcurrentBag<FileVerdict>();
        var kilnFiles = kiln.Tree.Files.ToHashSet(StringComparer.Ordinal);
        Parallel.ForEach(reference.Files, file =>
        {
            if (!kilnFiles.Contains(file))
            {
                verdicts.Add(new FileVerdict(set, file, MissingInKiln, "", null));
                return;
            }

            var expected = File.ReadAllBytes(reference.FullPath(file));
            var actual = File.ReadAllBytes(kiln.Tree.FullPath(file));
            verdicts.Add(expected.AsSpan().SequenceEqual(actual)
                ? new FileVerdict(set, file, Identical, "", null)
                : Classify(set, file, Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual)));
        });

        var referenceFiles = reference.Files.ToHashSet(StringComparer.Ordinal);
        foreach (var file in kiln.Tree.Files.Where(f => !referenceFiles.Contains(f)))
        {
            verdicts.Add(new FileVerdict(set, file, ExtraInKiln, "", null));
        }

        return [.. verdicts.OrderBy(v => v.File, StringComparer.Ordinal)];
    }

    /// <summary>"descriptor differs" (the embedded FileDescriptorProtos differ: where) or "code differs" (same blob).</summary>
    private static FileVerdict Classify(string set, string file, string expected, string actual)
    {
        var diff = ShortDiff(expected, actual);
        var (blobA, blobB) = (DescriptorBlob.Extract(expected), DescriptorBlob.Extract(actual));
        if (blobA != null && blobB != null && blobA.AsSpan().SequenceEqual(blobB))
        {
            return new FileVerdict(set, file, CodeDiffers, "same descriptor blob", diff);
        }

        var (a, b) = (DescriptorBlob.Parse(blobA), DescriptorBlob.Parse(blobB));
        if (a == null || b == null)
        {
            var which = a == null && b == null ? "neither file has" : a == null ? "protoc's file has no" : "kiln's file has no";
            return new FileVerdict(set, file, DescriptorDiffers, $"{which} readable descriptor blob", diff);
        }

        var detail = DescriptorBlob.FirstDifference(a, b)
            ?? $"same fields, different bytes ({blobA!.Length} vs {blobB!.Length}): field order, encoding or unknown fields";
        return new FileVerdict(set, file, DescriptorDiffers, detail, diff);
    }

    /// <summary>The first few lines that differ at the same line number, with their numbers.</summary>
    public static string ShortDiff(string expected, string actual, int max = 5)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var text = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(a.Length, b.Length) && shown < max; i++)
        {
            var left = i < a.Length ? a[i] : null;
            var right = i < b.Length ? b[i] : null;
            if (left == right)
            {
                continue;
            }

            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {i + 1,6} protoc| {Clip(left)}\n    {i + 1,6}   kiln| {Clip(right)}\n");
            shown++;
        }

        if (a.Length != b.Length)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    ({a.Length} lines in protoc's file, {b.Length} in kiln's)\n");
        }

        return text.ToString();
    }

    private static string Clip(string? line) => line == null ? "(end of file)" : line.Length > 160 ? line[..160] + "…" : line;
}
