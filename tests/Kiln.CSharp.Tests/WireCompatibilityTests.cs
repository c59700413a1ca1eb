using System.Reflection;

namespace Kiln.CSharp.Tests;

/// <summary>
/// Kiln's output against thrift 0.17's own <c>--gen netstd</c> output for the same IDL, compiled
/// side by side: the same value written by either gives the same bytes in every protocol, and
/// each reads the other's bytes back to an equal value.
/// </summary>
public sealed class WireCompatibilityTests
{
    private static readonly Lazy<(Assembly Kiln, Assembly Thrift)> Assemblies = new(Build);

    public static TheoryData<string> Protocols() => [.. SampleValues.Protocols.Select(protocol => protocol.Name)];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Kiln_and_thrift_write_the_same_bytes_and_read_each_other(string protocol)
    {
        var (kiln, thrift) = Assemblies.Value;
        var create = SampleValues.Protocol(protocol);
        var kilnTypes = SampleValues.DataTypes(kiln, "Kiln.Test.Wire").ToList();
        var thriftTypes = SampleValues.DataTypes(thrift, "Kiln.Test.Wire").ToDictionary(type => type.Name);
        Assert.Equal(kilnTypes.Select(type => type.Name).Order(), thriftTypes.Keys.Order());
        foreach (var kilnType in kilnTypes)
        {
            var thriftType = thriftTypes[kilnType.Name];
            var kilnValue = SampleValues.Create(kilnType)!;
            var thriftValue = SampleValues.Create(thriftType)!;
            var kilnBytes = await SampleValues.WriteAsync(kilnValue, create);
            var thriftBytes = await SampleValues.WriteAsync(thriftValue, create);
            Assert.True(kilnBytes.AsSpan().SequenceEqual(thriftBytes), $"{kilnType.Name} over {protocol}: the bytes differ");

            // thrift's own Equals compares a typedef'd container by reference, so its side is checked by re-writing.
            var readByThrift = await SampleValues.ReadAsync(thriftType, kilnBytes, create);
            var rewritten = await SampleValues.WriteAsync(readByThrift, create);
            Assert.True(kilnBytes.AsSpan().SequenceEqual(rewritten), $"{kilnType.Name} over {protocol}: thrift read Kiln's bytes differently");
            var readByKiln = await SampleValues.ReadAsync(kilnType, thriftBytes, create);
            Assert.Equal(kilnValue, readByKiln);
        }
    }

    private static (Assembly, Assembly) Build()
    {
        var thrift = RoslynCompiler.Compile("ThriftWire", ThriftPeer.Generate("Wire", "netstd"));
        Assert.True(thrift.Assembly is not null, "thrift's output does not compile:\n" + thrift.Describe());

        var kiln = RoslynCompiler.Compile("KilnWire", TestCase.Load("Wire").GenerateAll());
        Assert.True(kiln.Assembly is not null && kiln.IsClean, kiln.Describe());
        return (kiln.Assembly!, thrift.Assembly!);
    }
}
