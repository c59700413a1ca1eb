using System.Globalization;
using System.Text;

namespace Kiln.Protobuf.Linking;

/// <summary>protoc's number and byte formatting (<c>io::SimpleDtoa</c>, <c>SimpleFtoa</c>, <c>absl::CEscape</c>).</summary>
internal static class NumberFormat
{
    /// <summary>C++'s <c>quiet_NaN()</c> (positive sign bit); .NET's <c>double.NaN</c> has the sign bit set.</summary>
    public static readonly double QuietNaN = BitConverter.UInt64BitsToDouble(0x7FF8000000000000);

    public static string SimpleDtoa(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-inf";
        }

        if (double.IsNaN(value))
        {
            return "nan";
        }

        var s = FormatG(value, 15);
        if (double.Parse(s, CultureInfo.InvariantCulture) != value)
        {
            s = FormatG(value, 17);
        }

        return s;
    }

    public static string SimpleFtoa(float value)
    {
        if (float.IsPositiveInfinity(value))
        {
            return "inf";
        }

        if (float.IsNegativeInfinity(value))
        {
            return "-inf";
        }

        if (float.IsNaN(value))
        {
            return "nan";
        }

        var s = FormatG(value, 6);
        if (float.Parse(s, CultureInfo.InvariantCulture) != value)
        {
            s = FormatG(value, 9);
        }

        return s;
    }

    /// <summary>C's <c>%.{precision}g</c>.</summary>
    public static string FormatG(double value, int precision)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var e = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var negative = e[0] == '-';
        var body = negative ? e.AsSpan(1) : e.AsSpan();
        var ePos = body.IndexOf('E');
        var mantissa = body[..ePos];
        var exponent = int.Parse(body[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        Span<char> digits = stackalloc char[precision];
        var n = 0;
        foreach (var c in mantissa)
        {
            if (c != '.')
            {
                digits[n++] = c;
            }
        }

        var sig = n;
        while (sig > 1 && digits[sig - 1] == '0')
        {
            sig--;
        }

        var sb = new StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }

        if (exponent < -4 || exponent >= precision)
        {
            sb.Append(digits[0]);
            if (sig > 1)
            {
                sb.Append('.').Append(digits[1..sig]);
            }

            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            var abs = Math.Abs(exponent);
            if (abs < 10)
            {
                sb.Append('0');
            }

            sb.Append(abs.ToString(CultureInfo.InvariantCulture));
        }
        else if (exponent >= 0)
        {
            var intDigits = exponent + 1;
            for (var i = 0; i < intDigits; i++)
            {
                sb.Append(i < sig ? digits[i] : '0');
            }

            if (sig > intDigits)
            {
                sb.Append('.').Append(digits[intDigits..sig]);
            }
        }
        else
        {
            sb.Append("0.");
            for (var i = 0; i < -exponent - 1; i++)
            {
                sb.Append('0');
            }

            sb.Append(digits[..sig]);
        }

        return sb.ToString();
    }

    public static string CEscape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\n':
                    sb.Append("\\n");
                    break;
                case (byte)'\r':
                    sb.Append("\\r");
                    break;
                case (byte)'\t':
                    sb.Append("\\t");
                    break;
                case (byte)'"':
                    sb.Append("\\\"");
                    break;
                case (byte)'\'':
                    sb.Append("\\'");
                    break;
                case (byte)'\\':
                    sb.Append("\\\\");
                    break;
                default:
                    if (b < 0x20 || b >= 0x7F)
                    {
                        sb.Append('\\').Append((char)('0' + (b >> 6))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
                    }
                    else
                    {
                        sb.Append((char)b);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>absl's <c>CUnescape</c>, as protoc uses for bytes defaults.</summary>
    public static byte[] CUnescape(string text)
    {
        var output = new List<byte>(text.Length);
        Syntax.ProtoTokenizer.ParseStringAppend(("\"" + text + "\"").AsSpan(), output);
        return [.. output];
    }
}
