extern alias kiln;
extern alias peer;

using Google.Protobuf;
using K2 = kiln::Interop.Proto2;
using K3 = kiln::Interop.Proto3;
using KE = kiln::Interop.Editions;
using P2 = peer::Interop.Proto2;
using P3 = peer::Interop.Proto3;
using PE = peer::Interop.Editions;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// Small messages whose encoding is known by hand: both sides must write exactly these bytes, so
/// that agreement between them is also agreement with the format (packing, groups, delimited
/// encoding, map entries, zigzag, presence).
/// </summary>
public sealed class KnownBytesTests
{
    private static void AssertBytes(string expected, IMessage kiln, IMessage peer)
    {
        Assert.Equal(expected, Side.Hex(peer.ToByteArray()));
        Assert.Equal(expected, Side.Hex(kiln.ToByteArray()));
        Assert.Equal(kiln, Side.Kiln.Parse(kiln.Descriptor, Convert.FromHexString(expected)));
        Assert.Equal(peer, Side.Peer.Parse(peer.Descriptor, Convert.FromHexString(expected)));
    }

    [Fact]
    public void Proto3_repeated_scalars_are_packed_unless_told_not()
    {
        // r_int32 = 31: tag FA 01, length 3, 1 2 -1... ; u_int32 = 51: tag 98 03 per value.
        AssertBytes("FA010201029803019803" + "02",
            new K3.AllTypes { RInt32 = { 1, 2 }, UInt32 = { 1, 2 } },
            new P3.AllTypes { RInt32 = { 1, 2 }, UInt32 = { 1, 2 } });
    }

    [Fact]
    public void Negative_int32_is_ten_bytes_and_sint32_is_zigzag()
    {
        AssertBytes("08FFFFFFFFFFFFFFFFFF01" + "2803",
            new K3.AllTypes { FInt32 = -1, FSint32 = -2 },
            new P3.AllTypes { FInt32 = -1, FSint32 = -2 });
    }

    [Fact]
    public void Proto3_optional_and_oneof_fields_at_default_are_written()
    {
        // o_int32 = 131 (98 08), oneof_uint32 = 111 (F8 06), second_int32 = 125 (E8 07).
        AssertBytes("F80600E807009808" + "00",
            new K3.AllTypes { OInt32 = 0, OneofUint32 = 0, SecondInt32 = 0 },
            new P3.AllTypes { OInt32 = 0, OneofUint32 = 0, SecondInt32 = 0 });
    }

    [Fact]
    public void Map_entries_are_key_then_value_messages()
    {
        // m_string_string = 84 (A2 05): entry length 6, key "k" (0A 01 6B), value "v" (12 01 76).
        AssertBytes("A205060A016B120176",
            new K3.AllTypes { MStringString = { ["k"] = "v" } },
            new P3.AllTypes { MStringString = { ["k"] = "v" } });
    }

    [Fact]
    public void Proto2_groups_are_start_and_end_tags()
    {
        // req_int32 = 1, req_string = "", req_leaf = {}; OptionalGroup = 5 (2B … 2C) with a = 1;
        // RepeatedGroup = 8 (43 … 44) twice, with c = 2 then empty; unpacked_ints = 12 (60), packed_ints = 11 (5A).
        AssertBytes("0801" + "1200" + "1A00" + "2B30012C" + "434802444344" + "5A020304" + "600360" + "04",
            new K2.Proto2Message
            {
                ReqInt32 = 1,
                ReqString = "",
                ReqLeaf = new K2.Leaf2(),
                OptionalGroup = new K2.Proto2Message.Types.OptionalGroup { A = 1 },
                RepeatedGroup = { new K2.Proto2Message.Types.RepeatedGroup { C = 2 }, new K2.Proto2Message.Types.RepeatedGroup() },
                PackedInts = { 3, 4 },
                UnpackedInts = { 3, 4 },
            },
            new P2.Proto2Message
            {
                ReqInt32 = 1,
                ReqString = "",
                ReqLeaf = new P2.Leaf2(),
                OptionalGroup = new P2.Proto2Message.Types.OptionalGroup { A = 1 },
                RepeatedGroup = { new P2.Proto2Message.Types.RepeatedGroup { C = 2 }, new P2.Proto2Message.Types.RepeatedGroup() },
                PackedInts = { 3, 4 },
                UnpackedInts = { 3, 4 },
            });
    }

    [Fact]
    public void Edition_2023_delimited_fields_are_groups_and_repeated_fields_packed()
    {
        // delimited_child = 6 (33 … 34) with x = 1; legacy_required = 5; length_prefixed_child = 8 (42);
        // packed_int32 = 9 (4A), expanded_int32 = 10 (50 per value).
        AssertBytes("2800" + "33080134" + "42020802" + "4A020102" + "50015002",
            new KE.EditionsMessage { LegacyRequired = 0, DelimitedChild = new KE.EditionsMessage.Types.Child { X = 1 }, LengthPrefixedChild = new KE.EditionsMessage.Types.Child { X = 2 }, PackedInt32 = { 1, 2 }, ExpandedInt32 = { 1, 2 } },
            new PE.EditionsMessage { LegacyRequired = 0, DelimitedChild = new PE.EditionsMessage.Types.Child { X = 1 }, LengthPrefixedChild = new PE.EditionsMessage.Types.Child { X = 2 }, PackedInt32 = { 1, 2 }, ExpandedInt32 = { 1, 2 } });
    }

    [Fact]
    public void Wrappers_are_messages_and_a_default_wrapper_is_an_empty_one()
    {
        // w_int32 = 155 (DA 09): {} ; w_string = 158 (F2 09): { value: "a" }.
        AssertBytes("DA0900F209030A0161",
            new K3.AllTypes { WInt32 = 0, WString = "a" },
            new P3.AllTypes { WInt32 = 0, WString = "a" });
    }

    [Fact]
    public void The_largest_field_number_has_a_five_byte_tag()
    {
        AssertBytes("F8FFFFFF0F07",
            new K3.AllTypes { MaxFieldNumber = 7 },
            new P3.AllTypes { MaxFieldNumber = 7 });
    }
}
