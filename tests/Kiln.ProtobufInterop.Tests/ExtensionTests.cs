extern alias kiln;
extern alias peer;

using Google.Protobuf;
using K = kiln::Interop.Proto2;
using KE = kiln::Interop.Editions;
using P = peer::Interop.Proto2;
using PE = peer::Interop.Editions;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>proto2 and edition 2023 extensions through <c>SetExtension</c> / <c>GetExtension</c>, across sides.</summary>
public sealed class ExtensionTests
{
    private static K.Proto2Message KilnMessage() => new() { ReqInt32 = 1, ReqString = "r", ReqLeaf = new K.Leaf2() };

    [Fact]
    public void Extensions_set_through_Kiln_types_are_read_through_protoc_types()
    {
        var kiln = KilnMessage();
        kiln.SetExtension(K.Proto2Extensions.ExtInt32, -5);
        kiln.SetExtension(K.Proto2Extensions.ExtString, "é");
        kiln.SetExtension(K.Proto2Extensions.ExtEnum, K.Proto2Enum.P2Big);
        kiln.SetExtension(K.Proto2Extensions.ExtLeaf, new K.Leaf2 { Text = "leaf" });
        kiln.GetOrInitializeExtension(K.Proto2Extensions.ExtRepeatedInt32).Add([1, 2]);
        kiln.GetOrInitializeExtension(K.Proto2Extensions.ExtPackedInt32).Add([3, 4]);
        kiln.GetOrInitializeExtension(K.Proto2Extensions.ExtRepeatedLeaf).Add(new K.Leaf2 { Number = 9 });
        kiln.SetExtension(K.Proto2Extensions.ExtGroup, new K.ExtGroup { G = 7 });
        kiln.SetExtension(K.Proto2Extensions.ExtBigNumber, ulong.MaxValue);
        kiln.SetExtension(K.Leaf2.Extensions.ScopedLeaf, new K.Leaf2 { Number = 150 });
        kiln.GetOrInitializeExtension(K.Leaf2.Extensions.ScopedStrings).Add("s");
        var bytes = kiln.ToByteArray();

        var peer = P.Proto2Message.Parser.WithExtensionRegistry(Side.Peer.Extensions).ParseFrom(bytes);
        Assert.True(peer.HasExtension(P.Proto2Extensions.ExtInt32));
        Assert.Equal(-5, peer.GetExtension(P.Proto2Extensions.ExtInt32));
        Assert.Equal("é", peer.GetExtension(P.Proto2Extensions.ExtString));
        Assert.Equal(P.Proto2Enum.P2Big, peer.GetExtension(P.Proto2Extensions.ExtEnum));
        Assert.Equal("leaf", peer.GetExtension(P.Proto2Extensions.ExtLeaf).Text);
        Assert.Equal([1, 2], peer.GetExtension(P.Proto2Extensions.ExtRepeatedInt32));
        Assert.Equal([3, 4], peer.GetExtension(P.Proto2Extensions.ExtPackedInt32));
        Assert.Equal(9, Assert.Single(peer.GetExtension(P.Proto2Extensions.ExtRepeatedLeaf)).Number);
        Assert.Equal(7, peer.GetExtension(P.Proto2Extensions.ExtGroup).G);
        Assert.Equal(ulong.MaxValue, peer.GetExtension(P.Proto2Extensions.ExtBigNumber));
        Assert.Equal(150, peer.GetExtension(P.Leaf2.Extensions.ScopedLeaf).Number);
        Assert.Equal("s", Assert.Single(peer.GetExtension(P.Leaf2.Extensions.ScopedStrings)));
        Assert.False(peer.HasExtension(P.Proto2Extensions.ExtBool));
        Assert.Equal(Side.Hex(bytes), Side.Hex(peer.ToByteArray()));

        // And back, after a change on the peer side.
        peer.ClearExtension(P.Proto2Extensions.ExtInt32);
        peer.ClearExtension(P.Proto2Extensions.ExtRepeatedInt32);
        peer.SetExtension(P.Proto2Extensions.ExtBool, true);
        var back = K.Proto2Message.Parser.WithExtensionRegistry(Side.Kiln.Extensions).ParseFrom(peer.ToByteArray());
        Assert.False(back.HasExtension(K.Proto2Extensions.ExtInt32));
        Assert.Null(back.GetExtension(K.Proto2Extensions.ExtRepeatedInt32));
        Assert.True(back.GetExtension(K.Proto2Extensions.ExtBool));
        kiln.ClearExtension(K.Proto2Extensions.ExtInt32);
        kiln.ClearExtension(K.Proto2Extensions.ExtRepeatedInt32);
        kiln.SetExtension(K.Proto2Extensions.ExtBool, true);
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
        Assert.Equal(kiln, back);
    }

    [Fact]
    public void Unset_extensions_read_their_declared_defaults_on_both_sides()
    {
        var kiln = KilnMessage();
        var peer = new P.Proto2Message { ReqInt32 = 1, ReqString = "r", ReqLeaf = new P.Leaf2() };
        Assert.Equal("ext default", kiln.GetExtension(K.Proto2Extensions.ExtString));
        Assert.Equal("ext default", peer.GetExtension(P.Proto2Extensions.ExtString));
        Assert.Equal(K.Proto2Enum.P2Two, kiln.GetExtension(K.Proto2Extensions.ExtEnum));
        Assert.Equal(P.Proto2Enum.P2Two, peer.GetExtension(P.Proto2Extensions.ExtEnum));
        Assert.Equal([1, 2], kiln.GetExtension(K.Proto2Extensions.ExtBytes).ToByteArray());
        Assert.Equal([1, 2], peer.GetExtension(P.Proto2Extensions.ExtBytes).ToByteArray());
        Assert.Equal(-2.5, kiln.GetExtension(K.Proto2Extensions.ExtDouble));
        Assert.Equal(-2.5, peer.GetExtension(P.Proto2Extensions.ExtDouble));
        Assert.Equal(0, kiln.GetExtension(K.Proto2Extensions.ExtInt32));
        Assert.Equal(0, peer.GetExtension(P.Proto2Extensions.ExtInt32));
        Assert.Null(kiln.GetExtension(K.Proto2Extensions.ExtLeaf));
        Assert.Null(peer.GetExtension(P.Proto2Extensions.ExtLeaf));
        Assert.Equal(0, new KE.EditionsMessage().GetExtension(KE.EditionsExtensions.EdInt32));
        Assert.Equal(0, new PE.EditionsMessage().GetExtension(PE.EditionsExtensions.EdInt32));
    }

    [Fact]
    public void Extension_field_numbers_and_descriptors_agree()
    {
        var kiln = Side.Kiln.Extensions.Select(e => $"{e.FieldNumber} {e.GetType()}").Order(StringComparer.Ordinal);
        var peer = Side.Peer.Extensions.Select(e => $"{e.FieldNumber} {e.GetType()}").Order(StringComparer.Ordinal);
        Assert.Equal(peer, kiln);
        Assert.Equal(108, K.Proto2Extensions.ExtGroup.FieldNumber);
        Assert.Equal(536870911, K.Proto2Extensions.ExtBigNumber.FieldNumber);

        var kilnFields = K.Proto2Reflection.Descriptor.Extensions.UnorderedExtensions.Select(f => $"{f.FullName} {f.FieldNumber} {f.FieldType} {f.IsRepeated} {f.IsPacked} {f.HasPresence} {f.ExtendeeType.FullName} {f.Extension?.FieldNumber}");
        var peerFields = P.Proto2Reflection.Descriptor.Extensions.UnorderedExtensions.Select(f => $"{f.FullName} {f.FieldNumber} {f.FieldType} {f.IsRepeated} {f.IsPacked} {f.HasPresence} {f.ExtendeeType.FullName} {f.Extension?.FieldNumber}");
        Assert.Equal(peerFields, kilnFields);
        Assert.Equal(15, kilnFields.Count());
    }

    [Fact]
    public void Without_a_registry_extensions_stay_unknown_fields_and_survive()
    {
        var bytes = Side.Peer.Build("proto2/full").ToByteArray();
        var kiln = K.Proto2Message.Parser.ParseFrom(bytes);
        Assert.False(kiln.HasExtension(K.Proto2Extensions.ExtInt32));
        Assert.Equal(Side.Hex(bytes), Side.Hex(kiln.ToByteArray()));
        var peer = P.Proto2Message.Parser.WithExtensionRegistry(Side.Peer.Extensions).ParseFrom(kiln.ToByteArray());
        Assert.Equal(Side.Peer.Build("proto2/full"), peer);
    }

    [Fact]
    public void Edition_2023_delimited_extensions_cross_sides()
    {
        var kiln = new KE.EditionsMessage { LegacyRequired = 1 };
        kiln.SetExtension(KE.EditionsExtensions.EdDelimitedChild, new KE.EditionsMessage.Types.Child { X = 2 });
        kiln.GetOrInitializeExtension(KE.EditionsExtensions.EdDelimitedChildren).Add([new KE.EditionsMessage.Types.Child { Y = "y" }]);
        kiln.GetOrInitializeExtension(KE.EditionsExtensions.EdPackedInt32).Add([1, 2]);
        var peer = PE.EditionsMessage.Parser.WithExtensionRegistry(Side.Peer.Extensions).ParseFrom(kiln.ToByteArray());
        Assert.Equal(2, peer.GetExtension(PE.EditionsExtensions.EdDelimitedChild).X);
        Assert.Equal("y", Assert.Single(peer.GetExtension(PE.EditionsExtensions.EdDelimitedChildren)).Y);
        Assert.Equal([1, 2], peer.GetExtension(PE.EditionsExtensions.EdPackedInt32));

        // legacy_required = 1; then the extensions in the order they were set: ed_delimited_child = 101
        // as a group (start tag AB 06, end tag AC 06), ed_delimited_children = 103 as groups (BB 06 …
        // BC 06), ed_packed_int32 = 102 packed (B2 06, length 2).
        Assert.Equal("2801" + "AB060802AC06" + "BB06120179BC06" + "B206020102", Side.Hex(peer.ToByteArray()));
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));
    }
}
