using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Kiln.Protobuf.Tests;

internal static class DescriptorDiff
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(false));

    /// <summary>Null when identical; else the first differing lines of both descriptors as JSON.</summary>
    public static string? Compare(FileDescriptorProto expected, FileDescriptorProto actual)
    {
        var a = expected.ToByteArray();
        var b = actual.ToByteArray();
        if (a.AsSpan().SequenceEqual(b))
        {
            return null;
        }

        if (expected.SourceCodeInfo != null && actual.SourceCodeInfo != null && !expected.SourceCodeInfo.Equals(actual.SourceCodeInfo))
        {
            return $"{expected.Name}: source info differs ({a.Length} bytes from protoc, {b.Length} from Kiln)\n" + CompareLocations(expected.SourceCodeInfo, actual.SourceCodeInfo);
        }

        var ja = s_json.Format(expected).Split('\n');
        var jb = s_json.Format(actual).Split('\n');
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{expected.Name}: descriptors differ ({a.Length} bytes from protoc, {b.Length} from Kiln)");
        var n = Math.Max(ja.Length, jb.Length);
        var shown = 0;
        for (var i = 0; i < n && shown < 12; i++)
        {
            var la = i < ja.Length ? ja[i] : "<end>";
            var lb = i < jb.Length ? jb[i] : "<end>";
            if (la != lb)
            {
                sb.AppendLine($"  line {i + 1}:\n    protoc: {la.Trim()}\n    kiln:   {lb.Trim()}");
                shown++;
            }
        }

        if (shown == 0)
        {
            // Same JSON, different bytes: field order or unknown fields (custom options).
            var first = 0;
            while (first < Math.Min(a.Length, b.Length) && a[first] == b[first])
            {
                first++;
            }

            sb.AppendLine($"  JSON equal; bytes differ at offset {first}: protoc {Hex(a, first)} kiln {Hex(b, first)}");
        }

        return sb.ToString();
    }

    /// <summary>The first differing locations, one line each, with a little context.</summary>
    private static string CompareLocations(SourceCodeInfo expected, SourceCodeInfo actual)
    {
        var first = 0;
        while (first < Math.Min(expected.Location.Count, actual.Location.Count) && expected.Location[first].Equals(actual.Location[first]))
        {
            first++;
        }

        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"  locations: {expected.Location.Count} from protoc, {actual.Location.Count} from Kiln; first difference at #{first}");
        for (var i = Math.Max(0, first - 2); i < first + 4; i++)
        {
            sb.AppendLine($"    protoc #{i}: {(i < expected.Location.Count ? Show(expected.Location[i]) : "<end>")}");
            sb.AppendLine($"    kiln   #{i}: {(i < actual.Location.Count ? Show(actual.Location[i]) : "<end>")}");
        }

        return sb.ToString();
    }

    private static string Show(SourceCodeInfo.Types.Location l)
    {
        var text = $"[{string.Join(',', l.Path)}] span [{string.Join(',', l.Span)}]";
        if (l.HasLeadingComments)
        {
            text += $" leading {Quote(l.LeadingComments)}";
        }

        if (l.HasTrailingComments)
        {
            text += $" trailing {Quote(l.TrailingComments)}";
        }

        if (l.LeadingDetachedComments.Count > 0)
        {
            text += $" detached [{string.Join(", ", l.LeadingDetachedComments.Select(Quote))}]";
        }

        return text;
    }

    private static string Quote(string s) => "\"" + (s.Length > 40 ? s[..40] + "…" : s).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string Hex(byte[] bytes, int at) => Convert.ToHexString(bytes.AsSpan(Math.Max(0, at - 4), Math.Min(24, bytes.Length - Math.Max(0, at - 4))));
}
