extern alias kiln;
extern alias peer;

using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using K2 = kiln::Interop.Proto2;
using K3 = kiln::Interop.Proto3;
using KE = kiln::Interop.Editions;
using P2 = peer::Interop.Proto2;
using P3 = peer::Interop.Proto3;
using PE = peer::Interop.Editions;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>Defaults, field presence (<c>HasX</c> / <c>ClearX</c>) and required fields, on both sides.</summary>
public sealed class PresenceTests
{
    [Fact]
    public void Proto2_defaults_read_the_same_values_on_both_sides()
    {
        Assert.Equal(Values(new P2.Defaults()), Values(new K2.Defaults()));
        Assert.Equal(Values(new P2.Proto2Message()), Values(new K2.Proto2Message()));
        Assert.Equal(Values(new PE.EditionsMessage()), Values(new KE.EditionsMessage()));
        Assert.Equal(Values(new P3.AllTypes()), Values(new K3.AllTypes()));
    }

    /// <summary>The declared defaults, checked against their meaning (not only against the other side).</summary>
    [Fact]
    public void Proto2_defaults_are_the_declared_values()
    {
        foreach (var d in new IMessage[] { new K2.Defaults(), new P2.Defaults() })
        {
            dynamic m = d;
            Assert.Equal(-42, (int)m.DInt32);
            Assert.Equal(long.MinValue, (long)m.DInt64);
            Assert.Equal(uint.MaxValue, (uint)m.DUint32);
            Assert.Equal(ulong.MaxValue, (ulong)m.DUint64);
            Assert.Equal(int.MinValue, (int)m.DSint32);
            Assert.Equal(long.MaxValue, (long)m.DSint64);
            Assert.Equal(0xDEADBEEF, (uint)m.DFixed32);
            Assert.Equal(342391ul, (ulong)m.DFixed64);
            Assert.Equal(-1, (int)m.DSfixed32);
            Assert.Equal(-0x7fffffffffffffffL, (long)m.DSfixed64);
            Assert.Equal(1.5f, (float)m.DFloat);
            Assert.Equal(-3.25e-3f, (float)m.DFloatExp);
            Assert.Equal(float.PositiveInfinity, (float)m.DFloatInf);
            Assert.Equal(float.NegativeInfinity, (float)m.DFloatNegInf);
            Assert.True(float.IsNaN((float)m.DFloatNan));
            Assert.Equal(1e300, (double)m.DDouble);
            Assert.Equal(-4.9e-324, (double)m.DDoubleSmall);
            Assert.Equal(double.PositiveInfinity, (double)m.DDoubleInf);
            Assert.Equal(double.NegativeInfinity, (double)m.DDoubleNegInf);
            Assert.True(double.IsNaN((double)m.DDoubleNan));
            Assert.Equal(12.0, (double)m.DDoubleInt);
            Assert.True((bool)m.DBool);
            Assert.False((bool)m.DBoolFalse);
            Assert.Equal("plain", (string)m.DString);
            Assert.Equal("tab\t nl\n cr\r quote\" apos' bs\\ q? bell\a bs\b ff\f vt\v octA\0 hexA\u007f", (string)m.DStringEscapes);
            Assert.Equal("é ☃ 😀 é ☃ 😀 é", (string)m.DStringUnicode);
            Assert.Equal("", (string)m.DStringEmpty);
            Assert.Equal("??= ??/ {braces} \"#region\" */ /*", (string)m.DStringTrigraph);
            Assert.Equal("0001FF8020627974657320227122205C", Side.Hex(((ByteString)m.DBytes).ToByteArray()));
            Assert.Equal("C3A9", Side.Hex(((ByteString)m.DBytesUtf8).ToByteArray()));
            Assert.True(((ByteString)m.DBytesEmpty).IsEmpty);
            Assert.Equal(1000, (int)m.DEnum);
            Assert.Equal(6, (int)m.DKind);
            Assert.Equal(1, (int)m.DEnumFirst);
            Assert.Equal("", (string)m.DStringNoDefault);
            Assert.False((bool)m.HasDInt32);
        }
    }

    [Fact]
    public void Setting_every_field_to_its_default_is_presence_and_is_serialized_alike()
    {
        var kiln = new K2.Defaults();
        var peer = new P2.Defaults();
        foreach (var property in typeof(K2.Defaults).GetProperties().Where(p => p.CanWrite && p.DeclaringType == typeof(K2.Defaults)))
        {
            property.SetValue(kiln, property.GetValue(kiln));
            var peerProperty = typeof(P2.Defaults).GetProperty(property.Name)!;
            peerProperty.SetValue(peer, peerProperty.GetValue(peer));
        }

        Assert.True(kiln.HasDString && kiln.HasDFloatNan && kiln.HasDBytes && kiln.HasDEnum);
        Assert.Equal(Values(peer), Values(kiln));
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
        Assert.Equal(36, K2.Defaults.Descriptor.Fields.InDeclarationOrder().Count);

        kiln.ClearDString();
        peer.ClearDString();
        kiln.ClearDFloatNan();
        peer.ClearDFloatNan();
        Assert.False(kiln.HasDString);
        Assert.Equal("plain", kiln.DString);
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
    }

    /// <summary>Which fields have <c>HasX</c> / <c>ClearX</c>: implicit presence has neither, explicit presence both.</summary>
    [Fact]
    public void Presence_members_exist_for_the_same_fields()
    {
        foreach (var (kiln, peer) in new[] { (typeof(K3.AllTypes), typeof(P3.AllTypes)), (typeof(K2.Proto2Message), typeof(P2.Proto2Message)), (typeof(KE.EditionsMessage), typeof(PE.EditionsMessage)), (typeof(K2.Defaults), typeof(P2.Defaults)) })
        {
            Assert.Equal(PresenceMembers(peer), PresenceMembers(kiln));
        }

        var editions = PresenceMembers(typeof(KE.EditionsMessage));
        Assert.Contains("HasExplicitInt32", editions);
        Assert.Contains("ClearExplicitString", editions);
        Assert.DoesNotContain("HasImplicitInt32", editions);
        Assert.DoesNotContain("HasImplicitString", editions);
        var proto3 = PresenceMembers(typeof(K3.AllTypes));
        Assert.Contains("HasOInt32", proto3);
        Assert.Contains("HasOneofString", proto3);
        Assert.DoesNotContain("HasFInt32", proto3);
    }

    [Fact]
    public void Implicit_presence_fields_at_their_default_are_not_serialized()
    {
        var kiln = new KE.EditionsMessage { LegacyRequired = 0, ImplicitInt32 = 0, ImplicitString = "", ImplicitBytes = ByteString.Empty, ExplicitInt32 = 0, ExplicitString = "" };
        var peer = new PE.EditionsMessage { LegacyRequired = 0, ImplicitInt32 = 0, ImplicitString = "", ImplicitBytes = ByteString.Empty, ExplicitInt32 = 0, ExplicitString = "" };

        // explicit_int32 = 1 and explicit_string = 4 (present though default), legacy_required = 5; no implicit field.
        Assert.Equal("0800" + "2200" + "2800", Side.Hex(peer.ToByteArray()));
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
    }

    [Fact]
    public void Missing_required_fields_are_treated_alike()
    {
        var partial = new K2.Proto2Message { ReqInt32 = 1 };
        Assert.False(partial.IsInitialized());
        Assert.False(new P2.Proto2Message { ReqInt32 = 1 }.IsInitialized());
        // Google.Protobuf 3.36.2's reflective IsInitialized() throws on these (maps of messages, groups,
        // delimited fields): both sides must still agree.
        foreach (var name in new[] { "proto2/required-only", "proto2/full", "editions/required-only", "editions/full" })
        {
            Assert.Equal(Side.Outcome(() => Side.Peer.Build(name).IsInitialized().ToString()), Side.Outcome(() => Side.Kiln.Build(name).IsInitialized().ToString()));
        }

        var kilnOutcome = Side.Outcome(() => Side.Hex(partial.ToByteArray()));
        Assert.Equal(Side.Outcome(() => Side.Hex(new P2.Proto2Message { ReqInt32 = 1 }.ToByteArray())), kilnOutcome);

        byte[] bytes = [0x08, 0x01]; // req_int32 = 1 only
        var kiln = Side.Outcome(() => Side.Hex(K2.Proto2Message.Parser.ParseFrom(bytes).ToByteArray()));
        var peer = Side.Outcome(() => Side.Hex(P2.Proto2Message.Parser.ParseFrom(bytes).ToByteArray()));
        Assert.Equal(peer, kiln);
        Assert.Equal("ok: 0801", kiln); // the C# runtime does not check required fields when parsing

        // A nested message missing its required fields, and edition 2023's LEGACY_REQUIRED.
        var nested = new P2.Proto2Message { ReqInt32 = 1, ReqString = "", ReqLeaf = new P2.Leaf2(), Child = new P2.Proto2Message() };
        Assert.False(nested.IsInitialized());
        Assert.Equal(
            Side.Outcome(() => Side.Hex(P2.Proto2Message.Parser.ParseFrom(nested.ToByteArray()).ToByteArray())),
            Side.Outcome(() => Side.Hex(K2.Proto2Message.Parser.ParseFrom(nested.ToByteArray()).ToByteArray())));
        Assert.False(new KE.EditionsMessage().IsInitialized());
        Assert.Equal(
            Side.Outcome(() => Side.Hex(PE.EditionsMessage.Parser.ParseFrom([0x08, 0x01]).ToByteArray())),
            Side.Outcome(() => Side.Hex(KE.EditionsMessage.Parser.ParseFrom([0x08, 0x01]).ToByteArray())));
    }

    [Fact]
    public void Oneof_cases_and_clearing_agree()
    {
        var kiln = new K3.AllTypes { OneofString = "s" };
        var peer = new P3.AllTypes { OneofString = "s" };
        Assert.Equal(peer.ChoiceCase.ToString(), kiln.ChoiceCase.ToString());
        kiln.OneofUint32 = 0;
        peer.OneofUint32 = 0;
        Assert.Equal("OneofUint32", kiln.ChoiceCase.ToString());
        Assert.False(kiln.HasOneofString);
        Assert.Equal("", kiln.OneofString);
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
        kiln.ClearChoice();
        peer.ClearChoice();
        Assert.Equal(K3.AllTypes.ChoiceOneofCase.None, kiln.ChoiceCase);
        Assert.Empty(kiln.ToByteArray());
        Assert.Empty(peer.ToByteArray());
        Assert.Equal(
            Enum.GetNames<P3.AllTypes.ChoiceOneofCase>().Zip(Enum.GetValues<P3.AllTypes.ChoiceOneofCase>().Cast<int>(), (n, v) => $"{n}={v}"),
            Enum.GetNames<K3.AllTypes.ChoiceOneofCase>().Zip(Enum.GetValues<K3.AllTypes.ChoiceOneofCase>().Cast<int>(), (n, v) => $"{n}={v}"));
    }

    /// <summary>Every public instance property's value, as text, by name.</summary>
    private static List<string> Values(object message) =>
        [.. message.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name} = {Text(p.GetValue(message))}")];

    private static string Text(object? value) => value switch
    {
        null => "null",
        float f => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture),
        double d => BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture),
        ByteString b => "bytes " + Side.Hex(b.ToByteArray()),
        string s => "\"" + s + "\"",
        Enum e => $"{e.GetType().FullName}.{e} ({Convert.ToInt64(e, CultureInfo.InvariantCulture)})",
        IMessage m => m.Descriptor.FullName + " " + Side.Hex(m.ToByteArray()),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Text)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static List<string> PresenceMembers(Type type) =>
        [.. type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => m.Name)
            .Where(n => n.StartsWith("Has", StringComparison.Ordinal) || n.StartsWith("Clear", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
