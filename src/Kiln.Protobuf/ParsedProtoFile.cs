using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>
/// The result of parsing one <c>.proto</c> file: protoc's unlinked <see cref="FileDescriptorProto"/>
/// (type names as written, options uninterpreted, source locations recorded) plus diagnostics.
/// A pure function of the text; treat it as immutable. It is the input of
/// <see cref="ProtoLinker.Link"/>.
/// </summary>
public sealed class ParsedProtoFile
{
    internal ParsedProtoFile(SourceText source, FileDescriptorProto proto, IReadOnlyList<Diagnostic> diagnostics, bool hasErrors, SourceLocationTable locations)
    {
        Source = source;
        // The parser's source info is kept beside the descriptor, not in it: the linker copies the
        // descriptor of every file, and copying thousands of locations only to drop them was the
        // largest single cost of linking (and of its garbage).
        SourceCodeInfo = proto.SourceCodeInfo;
        proto.SourceCodeInfo = null;
        Proto = proto;
        Diagnostics = diagnostics;
        HasErrors = hasErrors;
        Locations = locations;
    }

    /// <summary>The virtual path of the file (protoc's name, relative to an import root).</summary>
    public string Path => Source.Path;

    public SourceText Source { get; }

    /// <summary>The unlinked descriptor, without <c>source_code_info</c> (see <see cref="SourceCodeInfo"/>). Do not mutate.</summary>
    internal FileDescriptorProto Proto { get; }

    /// <summary>The parser's <c>source_code_info</c>. Do not mutate.</summary>
    internal SourceCodeInfo? SourceCodeInfo { get; }

    /// <summary>The files this file imports, in order (<c>import</c> then <c>import option</c>).</summary>
    public IReadOnlyList<string> Imports => Proto.Dependency;

    /// <summary>The option imports (<c>import option "x";</c>, edition 2024).</summary>
    public IReadOnlyList<string> OptionImports => Proto.OptionDependency;

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors { get; }

    internal SourceLocationTable Locations { get; }

    /// <summary>A copy of the unlinked descriptor (what protoc's parser produces), for tools and tests.</summary>
    public FileDescriptorProto ToUnlinkedProto()
    {
        var copy = Proto.Clone();
        copy.SourceCodeInfo = SourceCodeInfo?.Clone();
        return copy;
    }
}
