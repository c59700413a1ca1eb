namespace Kiln.Sequencing;

/// <summary>
/// A named value of a <see cref="SequenceArena"/> that durations and payloads may depend on.
/// Change it with <see cref="SequenceArena.SetParameter"/> (or through a <see cref="Scan"/>).
/// </summary>
public sealed class Parameter
{
    internal readonly List<(int Node, TimeUnit Unit)> DurationUses = [];
    internal readonly List<(int Node, Func<double, ReadOnlyMemory<byte>> Encode)> PayloadUses = [];

    internal Parameter(SequenceArena arena, int id, string name, double value)
    {
        Arena = arena;
        Id = id;
        Name = name;
        Value = value;
    }

    public SequenceArena Arena { get; }

    public int Id { get; }

    public string Name { get; }

    public double Value { get; internal set; }

    /// <summary>True when some duration depends on this parameter (changing it changes times).</summary>
    public bool AffectsDurations => DurationUses.Count > 0;

    public override string ToString() => Name;
}

/// <summary>What a parameter change touched.</summary>
public enum ParameterChange
{
    /// <summary>The value was equal; nothing changed.</summary>
    None,
    /// <summary>Only payloads changed; they were patched in place and every cached result stays valid.</summary>
    PayloadsOnly,
    /// <summary>Some durations changed; the results of the nodes above them are invalidated.</summary>
    Durations,
}

/// <summary>
/// A duration: a fixed number of clock cycles, or a parameter read in a <see cref="TimeUnit"/>
/// (converted exactly at the arena's clock; a value that is not a whole number of cycles is KSQ0008).
/// </summary>
public readonly record struct SeqDuration
{
    private SeqDuration(ulong cycles, Parameter? parameter, TimeUnit unit)
    {
        Cycles = cycles;
        Parameter = parameter;
        Unit = unit;
    }

    public ulong Cycles { get; }

    public Parameter? Parameter { get; }

    public TimeUnit Unit { get; }

    public static SeqDuration FromCycles(ulong cycles) => new(cycles, null, TimeUnit.Cycles);

    public static SeqDuration Of(Parameter parameter, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return new(0, parameter, unit);
    }

    public static implicit operator SeqDuration(ulong cycles) => FromCycles(cycles);
}

/// <summary>One point of a scan: parameter values to set before compiling.</summary>
public sealed class ScanPoint(IReadOnlyList<KeyValuePair<Parameter, double>> values)
{
    public IReadOnlyList<KeyValuePair<Parameter, double>> Values { get; } = values;

    public override string ToString() => string.Join(", ", Values.Select(v => v.Key.Name + "=" + v.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>One axis of a scan: a parameter and the values it takes.</summary>
public sealed record ScanAxis(Parameter Parameter, IReadOnlyList<double> Values);

/// <summary>
/// A list of parameter points. <see cref="List"/> takes explicit points, <see cref="Product"/> the
/// outer product of axes (the last axis varies fastest) and <see cref="Zip"/> steps axes of equal
/// length together. Compile it with <see cref="IncrementalCompiler.CompileScan"/>.
/// </summary>
public sealed class Scan
{
    private Scan(IReadOnlyList<ScanPoint> points) => Points = points;

    public IReadOnlyList<ScanPoint> Points { get; }

    public static Scan List(params IEnumerable<ScanPoint> points) => new([.. points]);

    public static Scan Product(params IReadOnlyList<ScanAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var total = 1L;
        foreach (var axis in axes)
        {
            total *= axis.Values.Count;
            if (total > int.MaxValue)
            {
                throw new SequenceException(SequenceDiagnostics.BadScan, [], "the outer product has more than 2^31-1 points");
            }
        }

        var points = new List<ScanPoint>((int)(axes.Count == 0 ? 0 : total));
        if (axes.Count == 0)
        {
            return new(points);
        }

        var index = new int[axes.Count];
        for (var p = 0; p < total; p++)
        {
            var values = new KeyValuePair<Parameter, double>[axes.Count];
            for (var a = 0; a < axes.Count; a++)
            {
                values[a] = new(axes[a].Parameter, axes[a].Values[index[a]]);
            }

            points.Add(new ScanPoint(values));
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                if (++index[a] < axes[a].Values.Count)
                {
                    break;
                }

                index[a] = 0;
            }
        }

        return new(points);
    }

    public static Scan Zip(params IReadOnlyList<ScanAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0)
        {
            return new([]);
        }

        var n = axes[0].Values.Count;
        foreach (var axis in axes)
        {
            if (axis.Values.Count != n)
            {
                throw new SequenceException(SequenceDiagnostics.BadScan, [], $"zip axes have different lengths ({axes[0].Parameter.Name}: {n}, {axis.Parameter.Name}: {axis.Values.Count})");
            }
        }

        var points = new List<ScanPoint>(n);
        for (var i = 0; i < n; i++)
        {
            var values = new KeyValuePair<Parameter, double>[axes.Count];
            for (var a = 0; a < axes.Count; a++)
            {
                values[a] = new(axes[a].Parameter, axes[a].Values[i]);
            }

            points.Add(new ScanPoint(values));
        }

        return new(points);
    }
}
