using System.Globalization;

namespace Kiln.Sequencing.Output;

/// <summary>Times as people read them: <c>0</c>, <c>250ns</c>, <c>1.5us</c>, <c>12ms</c>, <c>2s</c>.</summary>
public static class TimeText
{
    /// <summary>
    /// <paramref name="seconds"/> in the largest SI unit that keeps the number at least 1, with at
    /// most <paramref name="digits"/> decimals (trailing zeros dropped). <paramref name="micro"/> is
    /// the spelling of the micro prefix (<c>us</c> for text the sequence format reads back, <c>µs</c> for pictures).
    /// </summary>
    public static string Format(decimal seconds, int digits = 6, string micro = "us", string separator = "")
    {
        if (seconds == 0)
        {
            return "0";
        }

        var abs = Math.Abs(seconds);
        var (scale, unit) = abs >= 1m ? (1m, "s")
            : abs >= 0.001m ? (1_000m, "ms")
            : abs >= 0.000_001m ? (1_000_000m, micro)
            : (1_000_000_000m, "ns");
        var value = Math.Round(seconds * scale, digits, MidpointRounding.AwayFromZero);
        return value.ToString("0.############################", CultureInfo.InvariantCulture) + separator + unit;
    }

    /// <summary><paramref name="cycles"/> at <paramref name="hz"/> (exact up to <paramref name="digits"/> decimals).</summary>
    public static string FormatCycles(decimal cycles, ulong hz, int digits = 6, string micro = "us", string separator = "") =>
        Format(cycles / hz, digits, micro, separator);
}
