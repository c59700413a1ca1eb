using Kiln.Text;

namespace Kiln.Sequencing;

/// <summary>
/// The <c>KSQ</c> codes. Numbers are never reused. Each <see cref="SequenceException"/> carries one
/// of these descriptors and the ids of the nodes at fault, so that a front end can map them to
/// source spans.
/// </summary>
public static class SequenceDiagnostics
{
    public static readonly DiagnosticDescriptor ChannelConflict = new("KSQ0001", DiagnosticSeverity.Error,
        "parallel composition (node {0}) uses channel {1} in both operand {2} (node {3}) and operand {4} (node {5}); parallel operands must use disjoint channels");

    public static readonly DiagnosticDescriptor DurationOverflow = new("KSQ0002", DiagnosticSeverity.Error,
        "duration of {0} overflows 2^64-1 clock cycles");

    public static readonly DiagnosticDescriptor NotWholeCycles = new("KSQ0003", DiagnosticSeverity.Error,
        "time {0} is not a whole number of cycles at {1} Hz ({2} cycles)");

    public static readonly DiagnosticDescriptor NegativeTime = new("KSQ0004", DiagnosticSeverity.Error,
        "time {0} is negative or out of range");

    public static readonly DiagnosticDescriptor ForeignNode = new("KSQ0005", DiagnosticSeverity.Error,
        "node {0} does not belong to this arena");

    public static readonly DiagnosticDescriptor NotAtomic = new("KSQ0006", DiagnosticSeverity.Error,
        "node {0} is a {1} node; only atomic nodes have a payload");

    public static readonly DiagnosticDescriptor TooManyEvents = new("KSQ0007", DiagnosticSeverity.Error,
        "node {0} has {1} events; at most {2} fit in one compiled sequence");

    public static readonly DiagnosticDescriptor BadParameterValue = new("KSQ0008", DiagnosticSeverity.Error,
        "parameter '{0}' = {1} gives an invalid duration for node {2}: {3}");

    public static readonly DiagnosticDescriptor StalePayload = new("KSQ0009", DiagnosticSeverity.Error,
        "the payload of node {0} was edited more than once since this sequence was compiled; compile again to read it");

    public static readonly DiagnosticDescriptor BadChannel = new("KSQ0010", DiagnosticSeverity.Error,
        "channel fields out of range: board {0} (0-65535), type {1} (0-15), local {2} (0-4095)");

    public static readonly DiagnosticDescriptor BadScan = new("KSQ0011", DiagnosticSeverity.Error,
        "invalid scan: {0}");

    public static readonly DiagnosticDescriptor BadTimeText = new("KSQ0012", DiagnosticSeverity.Error,
        "'{0}' is not a time: expected a number followed by s, ms, us, ns or cycles");
}

/// <summary>
/// An invalid composition, time or edit. <see cref="Code"/> is a stable <c>KSQxxxx</c> code,
/// <see cref="Nodes"/> the ids of the nodes at fault (for a channel conflict: the parallel node,
/// then the two operands), <see cref="Channel"/> the channel for a conflict.
/// </summary>
public sealed class SequenceException : Exception
{
    public SequenceException(DiagnosticDescriptor descriptor, int[] nodes, params object?[] args)
        : base(descriptor.Code + ": " + descriptor.Format(args))
    {
        Descriptor = descriptor;
        Nodes = nodes;
        Detail = descriptor.Format(args);
    }

    public SequenceException()
        : this(SequenceDiagnostics.BadScan, [], "unspecified")
    {
    }

    public SequenceException(string message)
        : base(message)
    {
        Descriptor = SequenceDiagnostics.BadScan;
        Nodes = [];
        Detail = message;
    }

    public SequenceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Descriptor = SequenceDiagnostics.BadScan;
        Nodes = [];
        Detail = message;
    }

    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The stable code, for example <c>KSQ0001</c>.</summary>
    public string Code => Descriptor.Code;

    /// <summary>The message without the code prefix.</summary>
    public string Detail { get; }

    /// <summary>Ids of the nodes at fault, most specific last (may be empty).</summary>
    public IReadOnlyList<int> Nodes { get; }

    /// <summary>The channel in conflict, for KSQ0001.</summary>
    public Channel? Channel { get; init; }
}
