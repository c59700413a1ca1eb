using Thrift.Protocol;

namespace Kiln.ThriftInterop.Tests;

/// <summary>
/// Every struct and exception of ThriftTest.thrift, filled with deterministic pseudo-random values:
/// Kiln's and thrift's generated code write identical bytes in the binary, compact and JSON
/// protocols, and each reads the other's bytes back to an equal value.
/// </summary>
public sealed class WireCompatibilityTests(ThriftTestTrees trees)
{
    /// <summary>Values per type and protocol; optional fields are set in some and unset in others.</summary>
    private const int Seeds = 12;

    /// <summary>
    /// Type/protocol pairs whose bytes differ today, with the first differing byte (for seed 0) and
    /// why. Asserted, so a fix in the emitter makes this test fail until the entry is removed.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> Protocols() => [.. SampleValues.ProtocolNames];

    [Fact]
    public void Kiln_and_thrift_generate_the_same_data_types_with_the_same_fields_and_isset_flags()
    {
        var kiln = SampleValues.DataTypes(trees.Kiln.RequireGenerated()).ToDictionary(type => type.FullName!);
        var thrift = SampleValues.DataTypes(trees.Thrift.RequireGenerated()).ToDictionary(type => type.FullName!);
        Assert.Equal(thrift.Keys.Order(StringComparer.Ordinal), kiln.Keys.Order(StringComparer.Ordinal));
        Assert.True(kiln.Count >= 60, $"only {kiln.Count} data types in ThriftTest");
        foreach (var (name, type) in thrift)
        {
            Assert.True(SampleValues.Shape(type) == SampleValues.Shape(kiln[name]), $"{name}:\n  thrift: {SampleValues.Shape(type)}\n  kiln:   {SampleValues.Shape(kiln[name])}");
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Kiln_and_thrift_write_identical_bytes_for_every_ThriftTest_type_and_read_each_other_back_equal(string protocol)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var kilnTypes = SampleValues.DataTypes(trees.Kiln.RequireGenerated()).ToDictionary(type => type.FullName!);
        var thriftTypes = SampleValues.DataTypes(trees.Thrift.RequireGenerated());
        var identical = new List<string>();
        var differences = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var equalByEquals = 0;
        var largest = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var thriftType in thriftTypes)
        {
            if (!kilnTypes.TryGetValue(thriftType.FullName!, out var kilnType))
            {
                failures.Add($"{thriftType.FullName}: Kiln generates no such type");
                continue;
            }

            var key = $"{SampleValues.ShortName(thriftType)}/{protocol}";
            string? firstDifference = null;
            for (var seed = 0; seed < Seeds; seed++)
            {
                var label = $"{key} seed {seed}";
                var kilnValue = (TBase)new SampleValues(seed).Create(kilnType);
                var thriftValue = (TBase)new SampleValues(seed).Create(thriftType);
                if (SampleValues.Difference(kilnValue, thriftValue) is { } built)
                {
                    failures.Add($"{label}: the two sample values are not alike ({built}); do the types have the same shape?");
                    break;
                }

                var kilnBytes = await SampleValues.WriteAsync(kilnValue, protocol, cancellationToken);
                var thriftBytes = await SampleValues.WriteAsync(thriftValue, protocol, cancellationToken);
                largest = Math.Max(largest, thriftBytes.Length);
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
                        failures.Add($"{label}: thrift's code reads Kiln's bytes as a different value: {thriftRead}");
                    }

                    if (SampleValues.Difference(kilnReadsKiln, kilnReadsThrift) is { } kilnRead)
                    {
                        failures.Add($"{label}: Kiln's code reads thrift's bytes as a different value: {kilnRead}");
                    }

                    if (SampleValues.Difference(thriftReadsThrift, kilnReadsKiln) is { } bothRead)
                    {
                        failures.Add($"{label}: Kiln's and thrift's code read a different value from the same value's bytes: {bothRead}");
                    }

                    // Equals and GetHashCode agree with thrift's (thrift's own are not always true
                    // after a round trip: a map keyed by a set compares keys by reference).
                    var kilnEquals = kilnValue.Equals(kilnReadsThrift);
                    var thriftEquals = thriftValue.Equals(thriftReadsKiln);
                    var kilnHash = kilnValue.GetHashCode() == kilnReadsThrift.GetHashCode();
                    var thriftHash = thriftValue.GetHashCode() == thriftReadsKiln.GetHashCode();
                    if (kilnEquals != thriftEquals || kilnHash != thriftHash)
                    {
                        failures.Add($"{label}: after a round trip, Kiln's Equals says {kilnEquals} and equal hash codes {kilnHash}, thrift's {thriftEquals} and {thriftHash}");
                    }

                    if (kilnEquals)
                    {
                        equalByEquals++;
                    }
                }
                catch (Exception e) when (e is TProtocolException or InvalidOperationException or InvalidCastException or ArgumentException or NullReferenceException)
                {
                    failures.Add($"{label}: a read failed: {e.GetType().Name}: {e.Message}");
                }
            }

            if (firstDifference is null)
            {
                identical.Add(key);
            }
            else
            {
                differences[key] = firstDifference;
            }
        }

        File.AppendAllText("/tmp/kiln-interop-timing.log", $"{DateTime.Now:HH:mm:ss.fff} wire {protocol} {watch.ElapsedMilliseconds} ms\n");
        TestContext.Current.TestOutputHelper?.WriteLine($"{protocol}: {identical.Count} of {thriftTypes.Count} types write identical bytes ({Seeds} values each); {differences.Count} differ; {equalByEquals} of {thriftTypes.Count * Seeds} values read back equal by the generated Equals (as with thrift's); largest value {largest} bytes; {watch.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"{failures.Count} failures over {protocol}:\n" + string.Join("\n", failures.Take(40)));

        var expected = KnownDifferences.Where(pair => pair.Key.EndsWith("/" + protocol, StringComparison.Ordinal)).ToDictionary();
        var unexpected = differences.Where(pair => !expected.ContainsKey(pair.Key)).Select(pair => $"{pair.Key}: {pair.Value}").ToList();
        var fixedOnes = expected.Keys.Where(known => !differences.ContainsKey(known)).ToList();
        var moved = expected.Where(pair => differences.TryGetValue(pair.Key, out var actual) && !actual.StartsWith(pair.Value.Split(':')[0] + ":", StringComparison.Ordinal))
            .Select(pair => $"{pair.Key}: expected {pair.Value.Split(':')[0]}, now {differences[pair.Key]}").ToList();
        Assert.True(unexpected.Count == 0, $"bytes differ over {protocol}:\n" + string.Join("\n", unexpected));
        Assert.True(fixedOnes.Count == 0, $"known differences are gone (remove them from KnownDifferences): {string.Join(", ", fixedOnes)}");
        Assert.True(moved.Count == 0, "known differences changed:\n" + string.Join("\n", moved));
        Assert.True(thriftTypes.Count >= 60, $"only {thriftTypes.Count} types compared");
    }

    /// <summary>"seed S byte N: thrift XX.., Kiln YY.." with a few bytes of context from the first difference.</summary>
    private static string DescribeDifference(int seed, byte[] thrift, byte[] kiln, string protocol)
    {
        var index = thrift.AsSpan().CommonPrefixLength(kiln);
        string Window(byte[] bytes) => protocol == "json"
            ? "\"" + System.Text.Encoding.UTF8.GetString(bytes, index, Math.Min(24, bytes.Length - index)) + "\""
            : Convert.ToHexString(bytes, index, Math.Min(12, bytes.Length - index));
        return $"seed {seed} byte {index}: thrift {Window(thrift)} ({thrift.Length} bytes), Kiln {Window(kiln)} ({kiln.Length} bytes)";
    }
}
