using System.Globalization;

namespace Kiln.Sequencing;

/// <summary>The kind of hardware behind a channel (bits 15–12 of a <see cref="Channel"/>).</summary>
public enum ChannelType : byte
{
    /// <summary>A digital TTL line.</summary>
    Ttl = 0,
    /// <summary>A real-time waveform generator (RWG) output.</summary>
    Rwg = 1,
    /// <summary>A board-level timing or synchronisation channel.</summary>
    Sync = 2,
    /// <summary>An opaque channel whose events are passed through untouched.</summary>
    Opaque = 3,
}

/// <summary>
/// A channel id: one 32-bit value that packs the board, the channel type and the local index.
/// Layout (most significant bit first): bits 31–16 board (0–65 535), bits 15–12 type (0–15, see
/// <see cref="ChannelType"/>), bits 11–0 local index (0–4 095). The board lives in the top 16 bits
/// as in catseq (<c>board = id &gt;&gt; 16</c>), so board-wise sorting is plain integer sorting.
/// </summary>
public readonly record struct Channel(uint Value) : IComparable<Channel>
{
    public const int BoardShift = 16;
    public const int TypeShift = 12;
    public const uint MaxBoard = 0xFFFF;
    public const uint MaxType = 0xF;
    public const uint MaxLocal = 0xFFF;

    /// <summary>Packs board, type and local index; throws <see cref="SequenceException"/> (KSQ0010) when a field is out of range.</summary>
    public static Channel Create(int board, ChannelType type, int local) => Create(board, (int)type, local);

    /// <inheritdoc cref="Create(int, ChannelType, int)"/>
    public static Channel Create(int board, int type, int local)
    {
        if ((uint)board > MaxBoard || (uint)type > MaxType || (uint)local > MaxLocal)
        {
            throw new SequenceException(SequenceDiagnostics.BadChannel, [], board, type, local);
        }

        return new Channel(((uint)board << BoardShift) | ((uint)type << TypeShift) | (uint)local);
    }

    public static Channel Ttl(int board, int local) => Create(board, ChannelType.Ttl, local);

    public static Channel Rwg(int board, int local) => Create(board, ChannelType.Rwg, local);

    public int Board => (int)(Value >> BoardShift);

    public ChannelType Type => (ChannelType)((Value >> TypeShift) & MaxType);

    public int Local => (int)(Value & MaxLocal);

    public int CompareTo(Channel other) => Value.CompareTo(other.Value);

    public static bool operator <(Channel left, Channel right) => left.Value < right.Value;

    public static bool operator >(Channel left, Channel right) => left.Value > right.Value;

    public static bool operator <=(Channel left, Channel right) => left.Value <= right.Value;

    public static bool operator >=(Channel left, Channel right) => left.Value >= right.Value;

    /// <summary>For example <c>B3:TTL:5</c>; a type without a name prints as its number.</summary>
    public override string ToString()
    {
        var type = Type switch
        {
            ChannelType.Ttl => "TTL",
            ChannelType.Rwg => "RWG",
            ChannelType.Sync => "SYNC",
            ChannelType.Opaque => "OPAQUE",
            var t => "T" + ((int)t).ToString(CultureInfo.InvariantCulture),
        };
        return string.Create(CultureInfo.InvariantCulture, $"B{Board}:{type}:{Local}");
    }
}
