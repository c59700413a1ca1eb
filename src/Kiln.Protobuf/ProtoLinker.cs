using Google.Protobuf.Reflection;
using Kiln.Protobuf.Linking;

namespace Kiln.Protobuf;

/// <summary>What linking should produce besides the descriptor.</summary>
public sealed record LinkOptions
{
    public static LinkOptions Default { get; } = new();

    /// <summary>Compute protoc's <c>source_code_info</c> (option locations rewritten).</summary>
    public bool IncludeSourceInfo { get; init; }

    /// <summary>
    /// With <see cref="IncludeSourceInfo"/>: keep only the locations that carry comments, which is
    /// all that code generators built into Kiln read (doc comments). Most of the cost of source info
    /// is the locations without comments, so a C#-only build asks for this; such source info is
    /// incomplete and is never written to a descriptor set or sent to a plugin.
    /// </summary>
    public bool CommentsOnly { get; init; }
}

/// <summary>
/// Links a parsed file against its already-linked imports: protoc's <c>DescriptorBuilder</c>.
/// A pure function of its inputs, so a driver can make <c>parse(file)</c> and <c>link(file)</c>
/// separate incremental queries (link(file) fetching link(import) for each import).
/// </summary>
public static class ProtoLinker
{
    /// <summary>
    /// Links <paramref name="file"/>. <paramref name="dependencies"/> holds one entry per
    /// <see cref="ParsedProtoFile.Imports"/> then per <see cref="ParsedProtoFile.OptionImports"/>,
    /// in order; <c>null</c> (or a file with errors) means the import was not found or had errors.
    /// </summary>
    public static LinkedProtoFile Link(ParsedProtoFile file, IReadOnlyList<LinkedProtoFile?> dependencies, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(dependencies);
        return new FileLinker(file, dependencies, options ?? LinkOptions.Default).Link();
    }

    /// <summary>Links <paramref name="file"/>, asking <paramref name="resolveImport"/> for each import by path.</summary>
    public static LinkedProtoFile Link(ParsedProtoFile file, Func<string, LinkedProtoFile?> resolveImport, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(resolveImport);
        var deps = new List<LinkedProtoFile?>(file.Imports.Count + file.OptionImports.Count);
        foreach (var import in file.Imports)
        {
            deps.Add(resolveImport(import));
        }

        foreach (var import in file.OptionImports)
        {
            deps.Add(resolveImport(import));
        }

        return Link(file, deps, options);
    }
}
