using System.Globalization;
using System.Text;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;

namespace Kiln.Protobuf.Linking;

/// <summary>
/// protoc's <c>OptionInterpreter::UpdateSourceCodeInfo</c> (35.1): the location of each interpreted
/// option statement (<c>[…options, 999, i]</c>) takes the path of the field it set (plus an index per
/// repeated field), and its sub-locations (name parts, value) are dropped. Everything else keeps its
/// place and order. Then protoc's <c>StripSourceRetentionOptions</c> (retention.cc): locations of
/// source-retention options, and of options messages that stripping emptied, are removed.
/// </summary>
/// <summary>Where an interpreted option went: its field path, and the fields named on the way (outermost first).</summary>
internal sealed record InterpretedOptionPath(List<int> Path, List<Symbol> Fields)
{
    /// <summary>
    /// Source-retention stripping removes the field, so the location too, if any field on the chain is
    /// source-retention. Asked only after all options are interpreted (an option may be declared below its use).
    /// </summary>
    public bool IsStripped => Fields.Exists(f => f.Field.Options is { Retention: FieldOptions.Types.OptionRetention.RetentionSource });
}

internal static class SourceInfoRewriter
{
    /// <summary>The dictionary key of a location path: <paramref name="prefix"/> then <paramref name="more"/>.</summary>
    public static string Key(List<int> prefix, params ReadOnlySpan<int> more)
    {
        var sb = new StringBuilder(prefix.Count * 3 + more.Length * 4);
        foreach (var p in prefix)
        {
            sb.Append(p.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        foreach (var p in more)
        {
            sb.Append(p.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        return sb.ToString();
    }

    private static string Key(RepeatedField<int> path)
    {
        var sb = new StringBuilder(path.Count * 3);
        foreach (var p in path)
        {
            sb.Append(p.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        return sb.ToString();
    }

    public static SourceCodeInfo? Rewrite(SourceCodeInfo? info, Dictionary<string, InterpretedOptionPath> interpreted, List<List<int>> droppedOptions, bool stripSourceRetention)
    {
        if (info == null)
        {
            return null;
        }

        var result = new SourceCodeInfo();
        if (interpreted.Count == 0)
        {
            result.Location.AddRange(info.Location);
            return result;
        }

        RepeatedField<int>? matched = null;
        foreach (var location in info.Location)
        {
            if (droppedOptions.Count > 0 && droppedOptions.Exists(d => StartsWith(location.Path, d)))
            {
                continue;
            }

            if (matched != null)
            {
                if (StartsWith(location.Path, matched))
                {
                    continue; // a sub-location (name part or value) of a rewritten option statement
                }

                matched = null;
            }

            // Only option statement paths (…, 999, i) can match; skip the key for the rest.
            var path = location.Path;
            if (path.Count < 2 || path[^2] != 999 || !interpreted.TryGetValue(Key(path), out var destination))
            {
                result.Location.Add(location);
                continue;
            }

            matched = path;
            if (stripSourceRetention && destination.IsStripped)
            {
                continue; // a source-retention option: stripped with its location
            }

            var replacement = location.Clone();
            replacement.Path.Clear();
            replacement.Path.AddRange(destination.Path);
            result.Location.Add(replacement);
        }

        return result;
    }

    private static bool StartsWith(RepeatedField<int> path, IReadOnlyList<int> prefix)
    {
        if (path.Count < prefix.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (path[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }
}
