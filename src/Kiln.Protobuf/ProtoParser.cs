using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>Parses <c>.proto</c> text (proto2, proto3, editions 2023/2024) the way protoc does.</summary>
public static class ProtoParser
{
    /// <summary>Parses one file. Never throws on malformed input; errors are in the result's diagnostics.</summary>
    public static ParsedProtoFile Parse(SourceText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Syntax.ProtoParser.Parse(source);
    }

    /// <summary>
    /// Parses one file; without <paramref name="includeSourceInfo"/> the result has no source info
    /// (cheaper, and enough to link a file whose descriptor is written without source info).
    /// </summary>
    public static ParsedProtoFile Parse(SourceText source, bool includeSourceInfo)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Syntax.ProtoParser.Parse(source, includeSourceInfo);
    }

    /// <summary>Parses one file with the source info <paramref name="options"/> asks linking for (see <see cref="LinkOptions.CommentsOnly"/>).</summary>
    public static ParsedProtoFile Parse(SourceText source, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        return Syntax.ProtoParser.Parse(source, options.IncludeSourceInfo, options.CommentsOnly);
    }
}
