using System.Globalization;

namespace Kiln.Sequencing.Language;

/// <summary>
/// A value of the sequence format while binding. A value may depend on one scan parameter: then
/// it also carries a function of that parameter's value, so that payloads can be re-encoded at
/// every scan point without binding again.
/// </summary>
internal abstract record SeqValue
{
    public abstract string TypeName { get; }
}

internal sealed record ErrorValue : SeqValue
{
    public static readonly ErrorValue Instance = new();

    public override string TypeName => "an error";
}

internal sealed record NumberValue(double Value, Parameter? Dependency = null, Func<double, double>? Function = null) : SeqValue
{
    public override string TypeName => "a number";

    public double At(double parameterValue) => Function is null ? Value : Function(parameterValue);
}

/// <summary>A time in clock cycles (exact, possibly fractional until used as a duration).</summary>
internal sealed record TimeValue(decimal Cycles, Parameter? Dependency = null, bool IsParameter = false, Func<double, decimal>? Function = null) : SeqValue
{
    public override string TypeName => "a time";

    public decimal At(double parameterValue) => Function is null ? Cycles : Function(parameterValue);
}

internal sealed record ChannelValue(Channel Channel) : SeqValue
{
    public override string TypeName => "a channel";
}

internal sealed record BytesValue(byte[] Bytes, Parameter? Dependency = null, Func<double, byte[]>? Function = null) : SeqValue
{
    public override string TypeName => "bytes";

    public byte[] At(double parameterValue) => Function is null ? Bytes : Function(parameterValue);
}

internal sealed record ListValue(IReadOnlyList<(SeqValue Value, Kiln.Text.TextSpan Span)> Items) : SeqValue
{
    public override string TypeName => "a list";
}

internal sealed record SequenceValue(SeqNode Node) : SeqValue
{
    public override string TypeName => "a sequence";
}

/// <summary>Thrown inside value functions (encoders, arithmetic) and caught where they are called.</summary>
internal sealed class EvaluationException(string message) : Exception(message)
{
    public EvaluationException()
        : this("evaluation failed")
    {
    }

    public EvaluationException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}

/// <summary>Value helpers shared by the binder and the scan checks.</summary>
internal static class SeqValueMath
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A double as the exact decimal that prints the same (1e-6 is 0.000001).</summary>
    public static decimal ToDecimal(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 7.9e28)
        {
            throw new EvaluationException($"{Number(value)} is out of range");
        }

        return decimal.Parse(Number(value), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static double Checked(double value, string what)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new EvaluationException($"{what} is not a finite number");
        }

        return value;
    }

    /// <summary>Little-endian encoding of a number (<c>u8</c> ... <c>f64</c>).</summary>
    public static byte[] Encode(string encoder, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new EvaluationException($"{encoder} value {Number(value)} is not a finite number");
        }

        switch (encoder)
        {
            case "f32":
                {
                    var bytes = new byte[4];
                    var f = (float)value;
                    if (float.IsInfinity(f))
                    {
                        throw new EvaluationException($"f32 value {Number(value)} is out of range");
                    }

                    System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, f);
                    return bytes;
                }

            case "f64":
                {
                    var bytes = new byte[8];
                    System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
                    return bytes;
                }
        }

        var (size, signed) = encoder switch
        {
            "u8" => (1, false),
            "u16" => (2, false),
            "u32" => (4, false),
            "u64" => (8, false),
            "i8" => (1, true),
            "i16" => (2, true),
            "i32" => (4, true),
            _ => (8, true),
        };
        if (value != Math.Floor(value))
        {
            throw new EvaluationException($"{encoder} value {Number(value)} is not a whole number (use round(...))");
        }

        var bits = size * 8;
        var min = signed ? -Math.Pow(2, bits - 1) : 0;
        var max = signed ? Math.Pow(2, bits - 1) - 1 : Math.Pow(2, bits) - 1;
        // 2^64-1 and 2^63-1 are not doubles; the comparisons use the next double up, so exclude it.
        if (value < min || value > max || (bits == 64 && value >= (signed ? 9.2233720368547758e18 : 1.8446744073709552e19)))
        {
            throw new EvaluationException(FormattableString.Invariant($"{encoder} value {Number(value)} is out of range {min:R}..{max:R}"));
        }

        var result = new byte[size];
        var raw = signed ? unchecked((ulong)(long)value) : (ulong)value;
        for (var i = 0; i < size; i++)
        {
            result[i] = (byte)(raw >> (8 * i));
        }

        return result;
    }
}
