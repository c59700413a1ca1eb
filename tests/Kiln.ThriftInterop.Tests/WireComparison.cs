using System.Reflection;
using Thrift.Protocol;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// Compares every data type of two generated assemblies (Kiln's and thrift's, same IDL) over one
/// protocol: the same sample value must give the same bytes, each side must read the other's bytes
/// as it reads its own, both sides must read the same value, and the generated Equals/GetHashCode
/// must say on a round trip what thrift's say.
/// </summary>
internal sealed class WireComparison
{
    /// <summary>"Type/protocol" of every type whose bytes were identical for every seed.</summary>
    public List<string> Identical { get; } = [];

    /// <summary>"Type/protocol" → the first differing byte (see <see cref="DescribeDifference"/>).</summary>
    public Dictionary<string, string> ByteDifferences { get; } = new(StringComparer.Ordinal);

    /// <summary>Type → what Kiln's and thrift's Equals/GetHashCode said, where they disagree.</summary>
    public Dictionary<string, string> EqualityDifferences { get; } = new(StringComparer.Ordinal);

    /// <summary>Type → its shape on each side, where the two generators' types differ (such types are not compared).</summary>
    public Dictionary<string, string> ShapeDifferences { get; } = new(StringComparer.Ordinal);

    /// <summary>Type → the first other problem: a value that cannot be made, written or read back, or is read back differently.</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public int Types { get; private set; }

    public int Values { get; private set; }

    public int EqualByEquals { get; private set; }

    public int LargestValue { get; private set; }

    public static async Task<WireComparison> RunAsync(Assembly kiln, Assembly thrift, string protocol, int seeds, CancellationToken cancellationToken)
    {
        var comparison = new WireComparison();
        var kilnTypes = SampleValues.DataTypes(kiln).ToDictionary(type => type.FullName!);
        foreach (var thriftType in SampleValues.DataTypes(thrift))
        {
            if (!kilnTypes.TryGetValue(thriftType.FullName!, out var kilnType))
            {
                comparison.ShapeDifferences[SampleValues.ShortName(thriftType)] = "Kiln generates no such type";
                continue;
            }

            if (SampleValues.Shape(thriftType) != SampleValues.Shape(kilnType))
            {
                comparison.ShapeDifferences[SampleValues.ShortName(thriftType)] = $"thrift {{{SampleValues.Shape(thriftType)}}} vs Kiln {{{SampleValues.Shape(kilnType)}}}";
                continue;
            }

            comparison.Types++;
            await comparison.CompareAsync(kilnType, thriftType, protocol, seeds, cancellationToken);
        }

        return comparison;
    }

    private async Task CompareAsync(Type kilnType, Type thriftType, string protocol, int seeds, CancellationToken cancellationToken)
    {
        var name = SampleValues.ShortName(thriftType);
        var key = $"{name}/{protocol}";
        void Fail(string message) => Failures.TryAdd(name, message);
        string? firstDifference = null;
        for (var seed = 0; seed < seeds; seed++)
        {
            TBase kilnValue;
            TBase thriftValue;
            byte[] kilnBytes;
            byte[] thriftBytes;
            try
            {
                kilnValue = (TBase)new SampleValues(seed).Create(kilnType);
                thriftValue = (TBase)new SampleValues(seed).Create(thriftType);
                if (SampleValues.Difference(kilnValue, thriftValue) is { } built)
                {
                    Fail($"seed {seed}: the two sample values are not alike ({built}); do the types have the same shape?");
                    return;
                }

                kilnBytes = await SampleValues.WriteAsync(kilnValue, protocol, cancellationToken);
                thriftBytes = await SampleValues.WriteAsync(thriftValue, protocol, cancellationToken);
            }
            catch (Exception e) when (e is TProtocolException or InvalidOperationException or InvalidCastException or ArgumentException or NullReferenceException or TargetInvocationException or MissingMethodException)
            {
                Fail($"seed {seed}: a sample value could not be made or written: {e.GetType().Name}: {e.Message}");
                return;
            }

            Values++;
            LargestValue = Math.Max(LargestValue, thriftBytes.Length);
            if (!kilnBytes.AsSpan().SequenceEqual(thriftBytes))
            {
                firstDifference ??= DescribeDifference(seed, thriftBytes, kilnBytes, protocol);
            }

            try
            {
                // "Read each other back equal": reading the other side's bytes gives what reading
                // one's own gives (a reader sets defaults and flags the writer may have left unset).
                var thriftReadsThrift = await SampleValues.ReadAsync(thriftType, thriftBytes, protocol, cancellationToken);
                var thriftReadsKiln = await SampleValues.ReadAsync(thriftType, kilnBytes, protocol, cancellationToken);
                var kilnReadsKiln = await SampleValues.ReadAsync(kilnType, kilnBytes, protocol, cancellationToken);
                var kilnReadsThrift = await SampleValues.ReadAsync(kilnType, thriftBytes, protocol, cancellationToken);
                if (SampleValues.Difference(thriftReadsThrift, thriftReadsKiln) is { } thriftRead)
                {
                    Fail($"seed {seed}: thrift's code reads Kiln's bytes as a different value: {thriftRead}");
                }

                if (SampleValues.Difference(kilnReadsKiln, kilnReadsThrift) is { } kilnRead)
                {
                    Fail($"seed {seed}: Kiln's code reads thrift's bytes as a different value: {kilnRead}");
                }

                if (SampleValues.Difference(thriftReadsThrift, kilnReadsKiln) is { } bothRead)
                {
                    Fail($"seed {seed}: Kiln's and thrift's code read a different value from the same value's bytes: {bothRead}");
                }

                // Equals and GetHashCode agree with thrift's (thrift's own are not always true
                // after a round trip: a map keyed by a set compares keys by reference).
                var kilnEquals = kilnValue.Equals(kilnReadsThrift);
                var thriftEquals = thriftValue.Equals(thriftReadsKiln);
                var kilnHash = kilnValue.GetHashCode() == kilnReadsThrift.GetHashCode();
                var thriftHash = thriftValue.GetHashCode() == thriftReadsKiln.GetHashCode();
                if (kilnEquals != thriftEquals || kilnHash != thriftHash)
                {
                    EqualityDifferences.TryAdd(SampleValues.ShortName(thriftType), $"Equals {kilnEquals}, same hash code {kilnHash} (Kiln) vs Equals {thriftEquals}, same hash code {thriftHash} (thrift)");
                }

                if (kilnEquals)
                {
                    EqualByEquals++;
                }
            }
            catch (Exception e) when (e is TProtocolException or InvalidOperationException or InvalidCastException or ArgumentException or NullReferenceException)
            {
                Fail($"seed {seed}: a read failed: {e.GetType().Name}: {e.Message}");
            }
        }

        if (firstDifference is null)
        {
            Identical.Add(key);
        }
        else
        {
            ByteDifferences[key] = firstDifference;
        }
    }

    /// <summary>"seed S byte N: thrift XX.., Kiln YY.." with a few bytes (JSON: characters) from the first difference.</summary>
    public static string DescribeDifference(int seed, byte[] thrift, byte[] kiln, string protocol)
    {
        var index = thrift.AsSpan().CommonPrefixLength(kiln);
        string Window(byte[] bytes) => protocol == "json"
            ? "\"" + System.Text.Encoding.UTF8.GetString(bytes, index, Math.Min(24, bytes.Length - index)) + "\""
            : Convert.ToHexString(bytes, index, Math.Min(12, bytes.Length - index));
        return $"seed {seed} byte {index}: thrift {Window(thrift)} ({thrift.Length} bytes), Kiln {Window(kiln)} ({kiln.Length} bytes)";
    }

    /// <summary>
    /// Checks the outcome against the known differences: every byte or equality difference must be
    /// known (with the same first differing byte when the known one names it: "seed S byte N: ..."),
    /// and every known one must still be there.
    /// Returns the problems, empty when all is as expected.
    /// </summary>
    public List<string> Check(
        string protocol,
        IReadOnlyDictionary<string, string> knownByteDifferences,
        IReadOnlyDictionary<string, string> knownEqualityDifferences,
        IReadOnlyDictionary<string, string>? knownShapeDifferences = null,
        IReadOnlyDictionary<string, string>? knownFailures = null)
    {
        knownShapeDifferences ??= new Dictionary<string, string>();
        knownFailures ??= new Dictionary<string, string>();
        var problems = new List<string>();
        problems.AddRange(ShapeDifferences.Where(pair => knownShapeDifferences.GetValueOrDefault(pair.Key) != pair.Value)
            .Select(pair => $"the types differ: {pair.Key}: {pair.Value}"));
        problems.AddRange(knownShapeDifferences.Keys.Where(key => !ShapeDifferences.ContainsKey(key))
            .Select(key => $"known type difference is gone (remove it from the known differences): {key}"));
        problems.AddRange(Failures.Where(pair => knownFailures.GetValueOrDefault(pair.Key) is not { } known || !pair.Value.Contains(known, StringComparison.Ordinal))
            .Select(pair => $"{pair.Key}/{protocol}: {pair.Value}"));
        problems.AddRange(knownFailures.Keys.Where(key => !Failures.ContainsKey(key))
            .Select(key => $"known failure is gone (remove it from the known differences): {key}"));
        var expected = knownByteDifferences.Where(pair => pair.Key.EndsWith("/" + protocol, StringComparison.Ordinal)).ToDictionary();
        foreach (var (key, actual) in ByteDifferences)
        {
            if (!expected.TryGetValue(key, out var known))
            {
                problems.Add($"bytes differ: {key}: {actual}");
            }
            else if (known.StartsWith("seed ", StringComparison.Ordinal) && !actual.StartsWith(Position(known), StringComparison.Ordinal))
            {
                problems.Add($"known byte difference moved: {key}: expected {Position(known)}, now {actual}");
            }
        }

        problems.AddRange(expected.Keys.Where(key => !ByteDifferences.ContainsKey(key))
            .Select(key => $"known byte difference is gone (remove it from the known differences): {key}"));
        problems.AddRange(EqualityDifferences.Where(pair => knownEqualityDifferences.GetValueOrDefault(pair.Key) != pair.Value)
            .Select(pair => $"after a round trip, Kiln's Equals/GetHashCode disagree with thrift's: {pair.Key}: {pair.Value}"));
        problems.AddRange(knownEqualityDifferences.Keys.Where(key => !EqualityDifferences.ContainsKey(key))
            .Select(key => $"known Equals/GetHashCode difference is gone (remove it from the known differences): {key}"));
        return problems;
    }

    /// <summary>"seed S byte N" of a recorded difference.</summary>
    private static string Position(string difference) => difference.Split(':')[0];

    public string Summary(string protocol, int seeds) =>
        $"{protocol}: {Identical.Count} of {Types} types write identical bytes ({seeds} values each), {ByteDifferences.Count} differ; "
        + $"{EqualByEquals} of {Values} values read back equal by the generated Equals; largest value {LargestValue} bytes";
}
