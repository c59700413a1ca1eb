using Kiln.Text;

namespace Kiln.Thrift;

/// <summary>
/// thrift 0.17's compiler flags that change checking (not the generated code's shape):
/// <c>-nowarn</c>, <c>-strict</c>, <c>--allow-neg-keys</c> and <c>--allow-64bit-consts</c>.
/// A value, so that an engine can make it an input and re-check only what a flag changes.
/// </summary>
/// <param name="Strict">
/// <c>-strict</c>: a field without an explicit key (or with a nonpositive key that thrift
/// replaces) is an error (KTH0083), not only a warning. thrift's only use of its strictness level.
/// </param>
/// <param name="AllowNegativeFieldKeys">
/// <c>--allow-neg-keys</c>: an explicit key ≤ 0 is kept (thrift warns, KTH0084, when it is not the
/// key thrift would have assigned) and the automatic keys of later fields continue below it.
/// Without it such a key is replaced by the next automatic one (KTH0030 and KTH0029).
/// </param>
/// <param name="Allow64BitConstants">
/// <c>--allow-64bit-consts</c>: no KTH0028 warning for an integer constant outside the 32-bit range.
/// </param>
/// <param name="WarningLevel">
/// Which warnings are reported (<see cref="ThriftDiagnostics.WarningLevel"/>): 1 by default,
/// 0 with <c>-nowarn</c>, 2 with <c>-strict</c>. As in thrift, the later of <c>-nowarn</c> and
/// <c>-strict</c> on the command line wins.
/// </param>
public sealed record ThriftOptions(
    bool Strict = false,
    bool AllowNegativeFieldKeys = false,
    bool Allow64BitConstants = false,
    int WarningLevel = ThriftOptions.DefaultWarningLevel)
{
    /// <summary>thrift's warning level without <c>-nowarn</c> or <c>-strict</c>.</summary>
    public const int DefaultWarningLevel = 1;

    /// <summary>thrift's warning level with <c>-nowarn</c>: only level-0 warnings.</summary>
    public const int NoWarningsLevel = 0;

    /// <summary>thrift's warning level with <c>-strict</c>.</summary>
    public const int StrictWarningLevel = 2;

    /// <summary>thrift 0.17 with no flags.</summary>
    public static ThriftOptions Default { get; } = new();

    /// <summary>
    /// Only the flags binding reads (<see cref="Strict"/>, <see cref="AllowNegativeFieldKeys"/>),
    /// the others at their defaults: equal for two option sets that bind every file the same way,
    /// so changing <c>-nowarn</c> alone re-binds nothing.
    /// </summary>
    public ThriftOptions ForBinding() => new(Strict, AllowNegativeFieldKeys);

    /// <summary>True if <paramref name="diagnostic"/> is shown with these flags: every error; a warning when its level is enabled.</summary>
    public bool Reports(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        if (diagnostic.Severity != DiagnosticSeverity.Warning)
        {
            return true;
        }

        if (Allow64BitConstants && diagnostic.Code == ThriftDiagnostics.LargeConstant.Code)
        {
            return false;
        }

        return ThriftDiagnostics.WarningLevel(diagnostic.Code) <= WarningLevel;
    }

    /// <summary>The diagnostics these flags show, in their order.</summary>
    public EquatableArray<Diagnostic> Filter(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var kept = new List<Diagnostic>(diagnostics.Count);
        foreach (var diagnostic in diagnostics)
        {
            if (Reports(diagnostic))
            {
                kept.Add(diagnostic);
            }
        }

        return kept.ToEquatableArray();
    }
}
