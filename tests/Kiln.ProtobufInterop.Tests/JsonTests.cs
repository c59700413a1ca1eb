extern alias kiln;
extern alias peer;

using CsCheck;
using Google.Protobuf;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// The JSON format, which reads the generated descriptors and property accessors (json_name,
/// oneofs, presence, well-known types, Any through the type registry): both sides write the same
/// text and read each other's.
/// </summary>
public sealed class JsonTests
{
    public static TheoryData<string> SampleNames() => [.. kiln::Interop.Shared.Samples.Names];

    /// <summary>The samples with a JSON form: a <c>google.protobuf.Value</c> with no kind set (in "proto3/present-defaults") has none, and both sides refuse it alike.</summary>
    public static TheoryData<string> JsonSampleNames() => [.. kiln::Interop.Shared.Samples.Names.Where(name => name != "proto3/present-defaults")];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Both_sides_format_the_same_json(string name)
    {
        var kiln = Side.Kiln.Build(name);
        var peer = Side.Peer.Build(name);
        Assert.Equal(Side.Outcome(() => Side.Peer.Json.Format(peer)), Side.Outcome(() => Side.Kiln.Json.Format(kiln)));
        Assert.Equal(Side.Outcome(() => Side.Peer.JsonVerbose.Format(peer)), Side.Outcome(() => Side.Kiln.JsonVerbose.Format(kiln)));

        Assert.Equal(name == "proto3/present-defaults", Side.Outcome(() => Side.Kiln.Json.Format(kiln)).StartsWith("System.InvalidOperationException", StringComparison.Ordinal));

        // Without a type registry, an Any cannot be formatted: both sides fail alike.
        Assert.Equal(Side.Outcome(() => JsonFormatter.Default.Format(peer)), Side.Outcome(() => JsonFormatter.Default.Format(kiln)));
    }

    [Theory]
    [MemberData(nameof(JsonSampleNames))]
    public void Each_side_parses_the_other_sides_json(string name)
    {
        var kiln = Side.Kiln.Build(name);
        var peer = Side.Peer.Build(name);
        foreach (var (kilnJson, peerJson) in new[] { (Side.Kiln.Json.Format(kiln), Side.Peer.Json.Format(peer)), (Side.Kiln.JsonVerbose.Format(kiln), Side.Peer.JsonVerbose.Format(peer)) })
        {
            var kilnFromPeer = Side.Kiln.ParseJson(kiln.Descriptor, peerJson);
            var peerFromKiln = Side.Peer.ParseJson(peer.Descriptor, kilnJson);
            Assert.Equal(Side.Hex(peerFromKiln.ToByteArray()), Side.Hex(kilnFromPeer.ToByteArray()));
            if (kiln::Interop.Shared.Samples.HasJson(name))
            {
                Assert.Equal(kiln, kilnFromPeer);
                Assert.Equal(peer, peerFromKiln);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WireTests.RandomKinds), MemberType = typeof(WireTests))]
    public void Random_messages_format_alike_and_cross_parse(string kind)
    {
        Gen.Int.Sample(seed =>
        {
            var kiln = Side.Kiln.Random(kind, seed);
            var peer = Side.Peer.Random(kind, seed);
            var kilnJson = Side.Kiln.Json.Format(kiln);
            Assert.Equal(Side.Peer.Json.Format(peer), kilnJson);
            Assert.Equal(Side.Peer.JsonVerbose.Format(peer), Side.Kiln.JsonVerbose.Format(kiln));
            var kilnBack = Side.Kiln.ParseJson(kiln.Descriptor, kilnJson);
            var peerBack = Side.Peer.ParseJson(peer.Descriptor, kilnJson);
            Assert.Equal(Side.Hex(peerBack.ToByteArray()), Side.Hex(kilnBack.ToByteArray()));
        }, iter: 100);
    }

    [Fact]
    public void Json_names_are_the_declared_ones()
    {
        var json = Side.Kiln.Json.Format(new kiln::Interop.Proto3.AllTypes { Renamed = 1, AlsoRenamed = "x", FieldName13 = 2, FIELDName12 = 3, FieldName4 = 4, AllTypes_ = 5 });
        Assert.Equal("""{ "customJsonName": 1, "with space": "x", "fieldName4": 4, "FIELDName12": 3, "FieldName13": 2, "allTypes": 5 }""", json);
        Assert.Equal(json, Side.Peer.Json.Format(new peer::Interop.Proto3.AllTypes { Renamed = 1, AlsoRenamed = "x", FieldName13 = 2, FIELDName12 = 3, FieldName4 = 4, AllTypes_ = 5 }));
    }

    /// <summary>JSON written by hand, in the forms the parser accepts besides the formatter's (proto names, numbers as strings, enum numbers).</summary>
    [Fact]
    public void Hand_written_json_parses_alike()
    {
        const string Json = """
            {
              "f_int32": "-5", "fInt64": "9223372036854775807", "fUint64": "18446744073709551615", "fFloat": "NaN", "fDouble": "-Infinity",
              "fBytes": "AAH/", "fColor": "COLOR_CRIMSON", "fNestedEnum": -3, "rColor": ["COLOR_RED", 12345],
              "mBoolBool": { "true": false }, "mInt64Int64": { "-1": "2" }, "oneofWrapper": "12", "oInt32": 0,
              "wBool": false, "timestamp": "1970-01-01T00:00:01.500+01:00", "duration": "-1.000000001s",
              "struct": { "a": [1, "b", null, { "c": true }] }, "value": null, "nullValue": null,
              "any": { "@type": "type.googleapis.com/interop.proto3.Leaf", "text": "t" },
              "fieldMask": "fInt32,fNested.a", "customJsonName": 7, "with space": "s", "unknownField": 1
            }
            """;
        var settings = Google.Protobuf.JsonParser.Settings.Default.WithIgnoreUnknownFields(true);
        var kiln = new JsonParser(settings.WithTypeRegistry(Side.Kiln.Types)).Parse<kiln::Interop.Proto3.AllTypes>(Json);
        var peer = new JsonParser(settings.WithTypeRegistry(Side.Peer.Types)).Parse<peer::Interop.Proto3.AllTypes>(Json);
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
        Assert.Equal(kiln::Interop.Proto3.Color.Red, kiln.FColor);
        Assert.Equal(-5, kiln.FInt32);
        Assert.True(kiln.HasOInt32);
        Assert.Equal(kiln::Interop.Proto3.AllTypes.ChoiceOneofCase.OneofWrapper, kiln.ChoiceCase);
        Assert.Equal(12345, (int)kiln.RColor[1]);

        // Without WithIgnoreUnknownFields, the unknown field is an error on both sides, the same one.
        Assert.Equal(
            Side.Outcome(() => Side.Hex(Side.Peer.ParseJson(peer::Interop.Proto3.AllTypes.Descriptor, Json).ToByteArray())),
            Side.Outcome(() => Side.Hex(Side.Kiln.ParseJson(kiln::Interop.Proto3.AllTypes.Descriptor, Json).ToByteArray())));
    }
}
