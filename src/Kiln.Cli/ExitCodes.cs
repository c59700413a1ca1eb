namespace Kiln.Cli;

/// <summary>The process exit codes every <c>kiln</c> command keeps.</summary>
public static class ExitCodes
{
    /// <summary>Everything was done; there may have been warnings.</summary>
    public const int Success = 0;

    /// <summary>The inputs had errors (diagnostics were printed).</summary>
    public const int DiagnosticErrors = 1;

    /// <summary>The command line was wrong, or a file could not be read or written.</summary>
    public const int UsageOrIOError = 2;
}
