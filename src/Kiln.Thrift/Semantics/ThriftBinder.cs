using Kiln.Text;
using Kiln.Thrift.Syntax;

namespace Kiln.Thrift.Semantics;

public enum IncludeStatus
{
    Found,
    NotFound,

    /// <summary>The included file is (transitively) including this one; the caller reports nothing, the binder does.</summary>
    Cycle,
}

/// <summary>What the driver found for one <c>include</c>: the bound model of the included file, or why there is none.</summary>
public sealed record IncludeOutcome(IncludeStatus Status, ThriftFileModel? Model, EquatableArray<string> CyclePath)
{
    public static IncludeOutcome Found(ThriftFileModel model) => new(IncludeStatus.Found, model, EquatableArray<string>.Empty);

    public static readonly IncludeOutcome NotFound = new(IncludeStatus.NotFound, null, EquatableArray<string>.Empty);

    /// <param name="path">The files of the cycle, starting and ending with the same one.</param>
    public static IncludeOutcome Cycle(EquatableArray<string> path) => new(IncludeStatus.Cycle, null, path);
}

/// <summary>One bound file: its resolved model (what other files read) and its binding diagnostics (positions kept here only).</summary>
public sealed record BoundFile(ThriftFileModel Model, EquatableArray<Diagnostic> Diagnostics);

/// <summary>
/// Resolves the names of one parsed file against its includes and checks it, as thrift 0.17
/// does: include and type resolution, typedef chains, constant typing, duplicates, services.
/// Pure, never throws on input, and reads no other file than the includes' models it is given,
/// so an engine can make <c>bind(file)</c> a query that depends on <c>bind(include)</c>.
/// </summary>
public static class ThriftBinder
{
    /// <summary>Binds one file.</summary>
    /// <param name="file">The parsed file.</param>
    /// <param name="resolveInclude">For an include as written (<see cref="IncludeSyntax.Path"/>), the bound model of the included file.</param>
    /// <param name="modelOf">
    /// The model of any file by its path, for definitions reached through an include's own
    /// includes (a typedef of a struct two includes away). Optional: without it those checks are skipped.
    /// </param>
    /// <param name="options">
    /// The compiler flags binding reads (<see cref="ThriftOptions.Strict"/>,
    /// <see cref="ThriftOptions.AllowNegativeFieldKeys"/>); default: none. Warnings are all
    /// reported: filtering them by level is <see cref="ThriftOptions.Filter"/>'s job.
    /// </param>
    public static BoundFile BindFile(
        ParsedFile file,
        Func<string, IncludeOutcome> resolveInclude,
        Func<string, ThriftFileModel?>? modelOf = null,
        ThriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(resolveInclude);
        return new FileBinder(file, resolveInclude, modelOf, options ?? ThriftOptions.Default).Bind();
    }

    /// <summary>
    /// Parses nothing and reads nothing: binds <paramref name="root"/> and every file it includes,
    /// each once, with includes found by <paramref name="resolveInclude"/> (include path as
    /// written, path of the including file → the parsed file, or null when there is none).
    /// </summary>
    public static ThriftCompilation Bind(ParsedFile root, Func<string, string, ParsedFile?> resolveInclude, ThriftOptions? options = null) =>
        ThriftCompilation.Create(root, resolveInclude, options);
}
