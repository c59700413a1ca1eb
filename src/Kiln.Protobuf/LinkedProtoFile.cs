using Google.Protobuf;
using Google.Protobuf.Reflection;
using Kiln.Protobuf.Linking;
using Kiln.Text;

namespace Kiln.Protobuf;

/// <summary>
/// One linked file: protoc's <see cref="FileDescriptorProto"/> as <c>protoc --descriptor_set_out</c>
/// writes it (names resolved, options interpreted, json_name on every field), plus diagnostics and
/// the symbol table that files importing it link against.
/// </summary>
public sealed class LinkedProtoFile
{
    internal LinkedProtoFile(string path, FileDescriptorProto descriptor, SourceCodeInfo? sourceCodeInfo, IReadOnlyList<LinkedProtoFile?> dependencies,
        IReadOnlyList<Diagnostic> diagnostics, bool hasErrors)
    {
        Path = path;
        Descriptor = descriptor;
        SourceCodeInfo = sourceCodeInfo;
        Dependencies = dependencies;
        Diagnostics = diagnostics;
        HasErrors = hasErrors;
        Package = descriptor.Package ?? "";
        Syntax = descriptor.HasSyntax ? descriptor.Syntax : "proto2";
    }

    public string Path { get; }

    /// <summary>The linked descriptor without source info. Treat it as immutable.</summary>
    public FileDescriptorProto Descriptor { get; }

    /// <summary>protoc's source info for this file (option locations rewritten), when linking was asked for it.</summary>
    public SourceCodeInfo? SourceCodeInfo { get; internal set; }

    /// <summary>
    /// The descriptor with its source-retention options kept (what protoc gives plugins as
    /// <c>source_file_descriptors</c>); null when stripping changed nothing, so it equals <see cref="Descriptor"/>.
    /// </summary>
    public FileDescriptorProto? SourceRetentionDescriptor { get; internal set; }

    /// <summary>Source info with the locations of source-retention options kept (beside <see cref="SourceRetentionDescriptor"/>).</summary>
    internal SourceCodeInfo? SourceRetentionSourceCodeInfo { get; set; }

    /// <summary>Direct dependencies in import order (<c>null</c> where an import was missing).</summary>
    public IReadOnlyList<LinkedProtoFile?> Dependencies { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; internal set; }

    /// <summary>
    /// protoc's "Import X is unused." warnings: protoc gives them only for the files named on its
    /// command line, so they are kept apart from <see cref="Diagnostics"/> for the driver to add.
    /// </summary>
    public IReadOnlyList<Diagnostic> UnusedImportWarnings { get; internal set; } = [];

    public bool HasErrors { get; internal set; }

    internal string Package { get; }

    internal string Syntax { get; }

    internal Dictionary<string, Symbol> Symbols { get; } = new(StringComparer.Ordinal);

    /// <summary>Extensions declared in this file, by extended message full name.</summary>
    internal Dictionary<string, List<Symbol>>? ExtensionsByExtendee { get; set; }

    /// <summary>The descriptor with source info when it was computed, as protoc writes it with <c>--include_source_info</c>.</summary>
    public FileDescriptorProto ToDescriptorProto(bool includeSourceInfo)
    {
        if (!includeSourceInfo || SourceCodeInfo == null)
        {
            return Descriptor;
        }

        var copy = Descriptor.Clone();
        copy.SourceCodeInfo = SourceCodeInfo;
        return copy;
    }

    /// <summary>
    /// The descriptor protoc hands plugins as <c>source_file_descriptors</c>: source-retention options kept,
    /// with source info (their locations kept) when it was computed.
    /// </summary>
    public FileDescriptorProto ToSourceRetentionDescriptorProto()
    {
        if (SourceRetentionDescriptor == null)
        {
            return ToDescriptorProto(includeSourceInfo: true);
        }

        var copy = SourceRetentionDescriptor.Clone();
        copy.SourceCodeInfo = SourceRetentionSourceCodeInfo ?? SourceCodeInfo;
        return copy;
    }

    /// <summary>The fields of <see cref="Descriptor"/> whose <c>json_name</c> the .proto gave (null: none).</summary>
    internal HashSet<FieldDescriptorProto>? ExplicitJsonNames { get; set; }

    /// <summary>
    /// The descriptor as protoc's built-in generators see it (<c>FileDescriptor::CopyTo</c>): no source
    /// info, and <c>json_name</c> only where the .proto gave one. The C# generator embeds its bytes.
    /// </summary>
    public FileDescriptorProto ToGeneratorDescriptorProto()
    {
        var copy = Descriptor.Clone();
        ClearImplicitJsonNames(Descriptor.MessageType, copy.MessageType);
        ClearImplicitJsonNames(Descriptor.Extension, copy.Extension);
        return copy;
    }

    private void ClearImplicitJsonNames(IList<DescriptorProto> original, IList<DescriptorProto> copy)
    {
        for (var i = 0; i < original.Count; i++)
        {
            ClearImplicitJsonNames(original[i].Field, copy[i].Field);
            ClearImplicitJsonNames(original[i].Extension, copy[i].Extension);
            ClearImplicitJsonNames(original[i].NestedType, copy[i].NestedType);
        }
    }

    private void ClearImplicitJsonNames(IList<FieldDescriptorProto> original, IList<FieldDescriptorProto> copy)
    {
        for (var i = 0; i < original.Count; i++)
        {
            if (ExplicitJsonNames == null || !ExplicitJsonNames.Contains(original[i]))
            {
                copy[i].ClearJsonName();
            }
        }
    }

    /// <summary>The serialized descriptor, byte-identical to protoc's entry in a descriptor set.</summary>
    public byte[] ToByteArray(bool includeSourceInfo = false) => ToDescriptorProto(includeSourceInfo).ToByteArray();
}
