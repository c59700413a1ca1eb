using System.Globalization;

namespace Kiln.Sequencing;

/// <summary>A unit a parameter or a literal time is written in.</summary>
public enum TimeUnit : byte
{
    Cycles,
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
}

/// <summary>
/// Exact conversions between SI times and clock cycles at a fixed clock rate (250 MHz by default,
/// one cycle = 4 ns). A time that is not a whole number of cycles is an error (KSQ0003), never
/// rounded; a negative or too large time is KSQ0004. Arithmetic is in <see cref="decimal"/>, so a
/// literal such as <c>1.5e-6</c> s converts exactly.
/// </summary>
public sealed class SequenceClock
{
    public const ulong DefaultHz = 250_000_000;

    public static SequenceClock Default { get; } = new(DefaultHz);

    public SequenceClock(ulong hz)
    {
        if (hz == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hz), "clock rate must be positive");
        }

        Hz = hz;
    }

    public ulong Hz { get; }

    /// <summary>Cycles per one <paramref name="unit"/> (may be fractional, e.g. 0.25 cycles per ns at 250 MHz).</summary>
    public decimal CyclesPer(TimeUnit unit) => unit switch
    {
        TimeUnit.Cycles => 1m,
        TimeUnit.Nanoseconds => Hz / 1_000_000_000m,
        TimeUnit.Microseconds => Hz / 1_000_000m,
        TimeUnit.Milliseconds => Hz / 1_000m,
        TimeUnit.Seconds => Hz,
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>Exact cycles for <paramref name="value"/> <paramref name="unit"/>; throws KSQ0003/KSQ0004.</summary>
    public ulong ToCycles(decimal value, TimeUnit unit)
    {
        if (!TryToCycles(value, unit, out var cycles, out var error))
        {
            throw error!;
        }

        return cycles;
    }

    internal bool TryToCycles(decimal value, TimeUnit unit, out ulong cycles, out SequenceException? error)
    {
        cycles = 0;
        error = null;
        var text = value.ToString(CultureInfo.InvariantCulture) + " " + UnitName(unit);
        if (value < 0)
        {
            error = new SequenceException(SequenceDiagnostics.NegativeTime, [], text);
            return false;
        }

        decimal exact;
        try
        {
            exact = value * CyclesPer(unit);
        }
        catch (OverflowException)
        {
            error = new SequenceException(SequenceDiagnostics.NegativeTime, [], text);
            return false;
        }

        if (exact != decimal.Truncate(exact))
        {
            error = new SequenceException(SequenceDiagnostics.NotWholeCycles, [], text, Hz, exact.ToString(CultureInfo.InvariantCulture));
            return false;
        }

        if (exact > ulong.MaxValue)
        {
            error = new SequenceException(SequenceDiagnostics.NegativeTime, [], text);
            return false;
        }

        cycles = (ulong)exact;
        return true;
    }

    /// <summary>
    /// Converts a double parameter value. The double is first turned into the shortest decimal that
    /// round-trips (so 1e-6 is exactly 0.000001), then converted exactly.
    /// </summary>
    internal bool TryToCycles(double value, TimeUnit unit, out ulong cycles, out SequenceException? error)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 7.9e28)
        {
            cycles = 0;
            error = new SequenceException(SequenceDiagnostics.NegativeTime, [], value.ToString("R", CultureInfo.InvariantCulture) + " " + UnitName(unit));
            return false;
        }

        var dec = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return TryToCycles(dec, unit, out cycles, out error);
    }

    public ulong Nanoseconds(decimal ns) => ToCycles(ns, TimeUnit.Nanoseconds);

    public ulong Microseconds(decimal us) => ToCycles(us, TimeUnit.Microseconds);

    public ulong Milliseconds(decimal ms) => ToCycles(ms, TimeUnit.Milliseconds);

    public ulong Seconds(decimal s) => ToCycles(s, TimeUnit.Seconds);

    /// <summary>The time of <paramref name="cycles"/> in seconds (exact in decimal up to 28 digits).</summary>
    public decimal ToSeconds(ulong cycles) => cycles / (decimal)Hz;

    /// <summary>
    /// Parses <c>"10us"</c>, <c>"1.5 ms"</c>, <c>"4ns"</c>, <c>"2s"</c>, <c>"100 cycles"</c> (also
    /// <c>µs</c>, <c>cy</c>, and a bare integer = cycles) to exact cycles; throws KSQ0012 for text
    /// that is not a time and KSQ0003/KSQ0004 for a time that is not a whole, non-negative number of cycles.
    /// </summary>
    public ulong Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '.' or '-' or '+' or 'e' or 'E') && !IsUnitStart(s, i))
        {
            i++;
        }

        var number = s[..i];
        var unitText = s[i..].Trim();
        TimeUnit unit;
        switch (unitText)
        {
            case "" or "cy" or "cycle" or "cycles": unit = TimeUnit.Cycles; break;
            case "ns": unit = TimeUnit.Nanoseconds; break;
            case "us" or "µs" or "μs": unit = TimeUnit.Microseconds; break;
            case "ms": unit = TimeUnit.Milliseconds; break;
            case "s": unit = TimeUnit.Seconds; break;
            default: throw new SequenceException(SequenceDiagnostics.BadTimeText, [], text);
        }

        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new SequenceException(SequenceDiagnostics.BadTimeText, [], text);
        }

        return ToCycles(value, unit);
    }

    // 'e' followed by a letter is not an exponent (there is no unit starting with e, but keep digits-only exponents).
    private static bool IsUnitStart(string s, int i) => s[i] is 'e' or 'E' && (i + 1 >= s.Length || !(char.IsAsciiDigit(s[i + 1]) || s[i + 1] is '-' or '+'));

    internal static string UnitName(TimeUnit unit) => unit switch
    {
        TimeUnit.Cycles => "cycles",
        TimeUnit.Nanoseconds => "ns",
        TimeUnit.Microseconds => "us",
        TimeUnit.Milliseconds => "ms",
        _ => "s",
    };
}
