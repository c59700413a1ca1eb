using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Interop.Editions;
using Interop.Proto2;
using Interop.Proto3;

namespace Interop.Shared;

/// <summary>
/// Random messages from a seed: the same seed gives the same message on both sides (the statements
/// and <see cref="System.Random"/>'s sequence are the same). Values favour edges (0, -1, minimum,
/// maximum, NaN, -0, non-ASCII, empty); floats are never NaNs with payloads (JSON cannot keep them),
/// and well-known types stay in the ranges their JSON forms accept.
/// </summary>
public static class RandomSamples
{
    /// <summary>The kinds <see cref="Build"/> knows.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["proto3", "proto2", "editions"];

    public static IMessage Build(string kind, int seed)
    {
        var r = new Random(seed);
        return kind switch
        {
            "proto3" => Proto3(r, 0),
            "proto2" => Proto2(r, 0),
            "editions" => Editions(r, 0),
            _ => throw new ArgumentException($"no random kind {kind}", nameof(kind)),
        };
    }

    private static bool Chance(Random r) => r.Next(2) == 0;

    private static T Pick<T>(Random r, params T[] values) => values[r.Next(values.Length)];

    private static int I32(Random r) => r.Next(6) switch
    {
        0 => 0,
        1 => Pick(r, -1, 1, 127, 128, 16383, 16384),
        2 => Pick(r, int.MinValue, int.MaxValue),
        3 => -r.Next(),
        _ => r.Next(),
    };

    private static long I64(Random r) => r.Next(5) switch
    {
        0 => 0,
        1 => Pick(r, -1L, 1L, long.MinValue, long.MaxValue, int.MinValue, (long)uint.MaxValue + 1),
        2 => r.NextInt64(long.MinValue, long.MaxValue),
        _ => r.NextInt64(-1_000_000, 1_000_000),
    };

    private static uint U32(Random r) => unchecked((uint)I32(r));

    private static ulong U64(Random r) => unchecked((ulong)I64(r));

    private static float F32(Random r)
    {
        switch (r.Next(4))
        {
            case 0:
                return Pick(r, 0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, float.MinValue);
            case 1:
                var bits = BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue));
                return float.IsNaN(bits) ? float.NaN : bits;
            default:
                return (float)((r.NextDouble() - 0.5) * 1000);
        }
    }

    private static double F64(Random r)
    {
        switch (r.Next(4))
        {
            case 0:
                return Pick(r, 0d, -0d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, double.MinValue);
            case 1:
                var bits = BitConverter.Int64BitsToDouble(r.NextInt64(long.MinValue, long.MaxValue));
                return double.IsNaN(bits) ? double.NaN : bits;
            default:
                return (r.NextDouble() - 0.5) * 1e6;
        }
    }

    /// <summary>A finite double: <c>google.protobuf.Value</c>'s JSON form has no NaN or infinity.</summary>
    private static double Finite(Random r) => r.Next(3) switch
    {
        0 => Pick(r, 0d, -1d, 1e300, double.Epsilon),
        _ => Math.Round((r.NextDouble() - 0.5) * 1e6, r.Next(8)),
    };

    private static string Str(Random r)
    {
        if (Chance(r))
        {
            return Pick(r, Samples.Strings);
        }

        var length = r.Next(Chance(r) ? 8 : 200);
        var text = new System.Text.StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var rune = r.Next(5) switch
            {
                0 => r.Next(0, 0x80),
                1 => r.Next(0x80, 0x800),
                2 => r.Next(0x800, 0xD800),
                3 => r.Next(0xE000, 0x10000),
                _ => r.Next(0x10000, 0x110000),
            };
            text.Append(char.ConvertFromUtf32(rune));
        }

        return text.ToString();
    }

    private static ByteString Bytes(Random r)
    {
        var bytes = new byte[r.Next(Chance(r) ? 4 : 300)];
        r.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }

    private static Color Color(Random r) => r.Next(4) == 0 ? (Color)I32(r) : Pick(r, Interop.Proto3.Color.Unspecified, Interop.Proto3.Color.Red, Interop.Proto3.Color.Crimson, Interop.Proto3.Color.Green, Interop.Proto3.Color.Blue, Interop.Proto3.Color.Negative, Interop.Proto3.Color.Max);

    private static AllTypes.Types.NestedEnum NestedEnum(Random r) => r.Next(4) == 0 ? (AllTypes.Types.NestedEnum)r.Next(-10, 10) : Pick(r, AllTypes.Types.NestedEnum.Unspecified, AllTypes.Types.NestedEnum.Foo, AllTypes.Types.NestedEnum.Bar, AllTypes.Types.NestedEnum.Baz);

    private static void Fill<T>(RepeatedField<T> field, Random r, Func<Random, T> value)
    {
        if (Chance(r))
        {
            var count = r.Next(Chance(r) ? 3 : 40);
            for (var i = 0; i < count; i++)
            {
                field.Add(value(r));
            }
        }
    }

    /// <summary>
    /// Adds values to a repeated extension, initializing it only when there are some: an initialized
    /// but empty repeated extension is present in the message yet not serialized, so a parsed copy
    /// would not equal it.
    /// </summary>
    private static void Fill<TTarget, T>(TTarget message, RepeatedExtension<TTarget, T> extension, Random r, Func<Random, T> value)
        where TTarget : IExtendableMessage<TTarget>
    {
        var values = new RepeatedField<T>();
        Fill(values, r, value);
        if (values.Count > 0)
        {
            message.GetOrInitializeExtension(extension).Add(values);
        }
    }

    private static void Fill<TKey, TValue>(MapField<TKey, TValue> map, Random r, Func<Random, TKey> key, Func<Random, TValue> value)
        where TKey : notnull
    {
        if (Chance(r))
        {
            var count = r.Next(6);
            for (var i = 0; i < count; i++)
            {
                map[key(r)] = value(r);
            }
        }
    }

    private static AllTypes.Types.Nested Nested(Random r, int depth)
    {
        var nested = new AllTypes.Types.Nested();
        if (Chance(r))
        {
            nested.A = I32(r);
        }

        if (Chance(r))
        {
            nested.B = Str(r);
        }

        if (depth < 3 && r.Next(3) == 0)
        {
            nested.Child = Nested(r, depth + 1);
        }

        return nested;
    }

    private static Leaf Leaf(Random r)
    {
        var leaf = new Leaf();
        if (Chance(r))
        {
            leaf.Text = Str(r);
        }

        Fill(leaf.Numbers, r, I32);
        return leaf;
    }

    private static Timestamp Timestamp(Random r) => new()
    {
        Seconds = r.Next(3) == 0 ? Pick(r, -62_135_596_800L, 253_402_300_799L, 0L) : r.NextInt64(-62_135_596_800L, 253_402_300_800L),
        Nanos = Chance(r) ? 0 : r.Next(0, 1_000_000_000),
    };

    private static Duration Duration(Random r)
    {
        var seconds = r.NextInt64(-315_576_000_000L, 315_576_000_001L);
        var nanos = Chance(r) ? 0 : r.Next(0, 1_000_000_000);
        return new Duration { Seconds = seconds, Nanos = seconds < 0 ? -nanos : seconds == 0 && Chance(r) ? -nanos : nanos };
    }

    private static Value Value(Random r, int depth) => (depth > 2 ? r.Next(4) : r.Next(6)) switch
    {
        0 => Google.Protobuf.WellKnownTypes.Value.ForNull(),
        1 => Google.Protobuf.WellKnownTypes.Value.ForNumber(Finite(r)),
        2 => Google.Protobuf.WellKnownTypes.Value.ForString(Str(r)),
        3 => Google.Protobuf.WellKnownTypes.Value.ForBool(Chance(r)),
        4 => Google.Protobuf.WellKnownTypes.Value.ForStruct(Struct(r, depth + 1)),
        _ => Google.Protobuf.WellKnownTypes.Value.ForList([.. Enumerable.Range(0, r.Next(4)).Select(_ => Value(r, depth + 1))]),
    };

    private static Struct Struct(Random r, int depth)
    {
        var result = new Struct();
        var count = r.Next(4);
        for (var i = 0; i < count; i++)
        {
            result.Fields["k" + Str(r)] = Value(r, depth); // JSON (and ToString) refuse an empty key
        }

        return result;
    }

    private static readonly string[] s_paths = ["f_int32", "f_nested.a", "r_leaf", "m_string_string", "timestamp", "o_nested.child.b"];

    public static AllTypes Proto3(Random r, int depth)
    {
        var m = new AllTypes();
        if (Chance(r)) { m.FInt32 = I32(r); }
        if (Chance(r)) { m.FInt64 = I64(r); }
        if (Chance(r)) { m.FUint32 = U32(r); }
        if (Chance(r)) { m.FUint64 = U64(r); }
        if (Chance(r)) { m.FSint32 = I32(r); }
        if (Chance(r)) { m.FSint64 = I64(r); }
        if (Chance(r)) { m.FFixed32 = U32(r); }
        if (Chance(r)) { m.FFixed64 = U64(r); }
        if (Chance(r)) { m.FSfixed32 = I32(r); }
        if (Chance(r)) { m.FSfixed64 = I64(r); }
        if (Chance(r)) { m.FFloat = F32(r); }
        if (Chance(r)) { m.FDouble = F64(r); }
        if (Chance(r)) { m.FBool = Chance(r); }
        if (Chance(r)) { m.FString = Str(r); }
        if (Chance(r)) { m.FBytes = Bytes(r); }
        if (Chance(r)) { m.FColor = Color(r); }
        if (Chance(r)) { m.FNestedEnum = NestedEnum(r); }
        if (Chance(r)) { m.FNested = Nested(r, 0); }
        if (Chance(r)) { m.FLeaf = Leaf(r); }

        Fill(m.RInt32, r, I32);
        Fill(m.RInt64, r, I64);
        Fill(m.RUint32, r, U32);
        Fill(m.RUint64, r, U64);
        Fill(m.RSint32, r, I32);
        Fill(m.RSint64, r, I64);
        Fill(m.RFixed32, r, U32);
        Fill(m.RFixed64, r, U64);
        Fill(m.RSfixed32, r, I32);
        Fill(m.RSfixed64, r, I64);
        Fill(m.RFloat, r, F32);
        Fill(m.RDouble, r, F64);
        Fill(m.RBool, r, Chance);
        Fill(m.RString, r, Str);
        Fill(m.RBytes, r, Bytes);
        Fill(m.RColor, r, Color);
        Fill(m.RNestedEnum, r, NestedEnum);
        Fill(m.RNested, r, x => Nested(x, 1));
        Fill(m.RLeaf, r, Leaf);

        Fill(m.UInt32, r, I32);
        Fill(m.UInt64, r, I64);
        Fill(m.UUint32, r, U32);
        Fill(m.UUint64, r, U64);
        Fill(m.USint32, r, I32);
        Fill(m.USint64, r, I64);
        Fill(m.UFixed32, r, U32);
        Fill(m.UFixed64, r, U64);
        Fill(m.USfixed32, r, I32);
        Fill(m.USfixed64, r, I64);
        Fill(m.UFloat, r, F32);
        Fill(m.UDouble, r, F64);
        Fill(m.UBool, r, Chance);
        Fill(m.UColor, r, Color);

        Fill(m.MInt32Int32, r, I32, I32);
        Fill(m.MInt64Int64, r, I64, I64);
        Fill(m.MUint32Uint32, r, U32, U32);
        Fill(m.MUint64Uint64, r, U64, U64);
        Fill(m.MSint32Sint32, r, I32, I32);
        Fill(m.MSint64Sint64, r, I64, I64);
        Fill(m.MFixed32Fixed32, r, U32, U32);
        Fill(m.MFixed64Fixed64, r, U64, U64);
        Fill(m.MSfixed32Sfixed32, r, I32, I32);
        Fill(m.MSfixed64Sfixed64, r, I64, I64);
        Fill(m.MInt32Float, r, I32, F32);
        Fill(m.MInt32Double, r, I32, F64);
        Fill(m.MBoolBool, r, Chance, Chance);
        Fill(m.MStringString, r, Str, Str);
        Fill(m.MStringBytes, r, Str, Bytes);
        Fill(m.MStringColor, r, Str, Color);
        Fill(m.MInt32NestedEnum, r, I32, NestedEnum);
        Fill(m.MStringNested, r, Str, x => Nested(x, 1));
        Fill(m.MInt64Leaf, r, I64, Leaf);
        Fill(m.MStringWrapper, r, Str, x => (int?)I32(x));
        Fill(m.MStringTimestamp, r, Str, Timestamp);

        switch (r.Next(14))
        {
            case 0: m.OneofUint32 = U32(r); break;
            case 1: m.OneofNested = Nested(r, 1); break;
            case 2: m.OneofString = Str(r); break;
            case 3: m.OneofBytes = Bytes(r); break;
            case 4: m.OneofBool = Chance(r); break;
            case 5: m.OneofUint64 = U64(r); break;
            case 6: m.OneofFloat = F32(r); break;
            case 7: m.OneofDouble = F64(r); break;
            case 8: m.OneofEnum = Color(r); break;
            case 9: m.OneofWrapper = I64(r); break;
            case 10: m.OneofTimestamp = Timestamp(r); break;
            case 11: m.OneofSint64 = I64(r); break;
            default: break;
        }

        switch (r.Next(3))
        {
            case 0: m.SecondInt32 = I32(r); break;
            case 1: m.SecondLeaf = Leaf(r); break;
            default: break;
        }

        if (Chance(r)) { m.OInt32 = I32(r); }
        if (Chance(r)) { m.OInt64 = I64(r); }
        if (Chance(r)) { m.OUint32 = U32(r); }
        if (Chance(r)) { m.OUint64 = U64(r); }
        if (Chance(r)) { m.OSint32 = I32(r); }
        if (Chance(r)) { m.OSint64 = I64(r); }
        if (Chance(r)) { m.OFixed32 = U32(r); }
        if (Chance(r)) { m.OFixed64 = U64(r); }
        if (Chance(r)) { m.OSfixed32 = I32(r); }
        if (Chance(r)) { m.OSfixed64 = I64(r); }
        if (Chance(r)) { m.OFloat = F32(r); }
        if (Chance(r)) { m.ODouble = F64(r); }
        if (Chance(r)) { m.OBool = Chance(r); }
        if (Chance(r)) { m.OString = Str(r); }
        if (Chance(r)) { m.OBytes = Bytes(r); }
        if (Chance(r)) { m.OColor = Color(r); }
        if (Chance(r)) { m.ONested = Nested(r, 1); }

        if (Chance(r)) { m.WDouble = F64(r); }
        if (Chance(r)) { m.WFloat = F32(r); }
        if (Chance(r)) { m.WInt64 = I64(r); }
        if (Chance(r)) { m.WUint64 = U64(r); }
        if (Chance(r)) { m.WInt32 = I32(r); }
        if (Chance(r)) { m.WUint32 = U32(r); }
        if (Chance(r)) { m.WBool = Chance(r); }
        if (Chance(r)) { m.WString = Str(r); }
        if (Chance(r)) { m.WBytes = Bytes(r); }
        Fill(m.RwInt32, r, x => (int?)I32(x));
        Fill(m.RwString, r, Str);

        if (Chance(r)) { m.Timestamp = Timestamp(r); }
        if (Chance(r)) { m.Duration = Duration(r); }
        if (Chance(r)) { m.Struct = Struct(r, 0); }
        if (Chance(r)) { m.Value = Value(r, 0); }
        if (Chance(r)) { m.ListValue = new ListValue { Values = { Enumerable.Range(0, r.Next(4)).Select(_ => Value(r, 1)) } }; }
        if (Chance(r)) { m.Any = RandomAny(r, depth); }
        if (Chance(r)) { m.FieldMask = new FieldMask { Paths = { s_paths.Where(_ => Chance(r)) } }; }
        if (Chance(r)) { m.Empty = new Empty(); }
        Fill(m.RAny, r, x => RandomAny(x, depth));
        Fill(m.RTimestamp, r, Timestamp);
        Fill(m.RDuration, r, Duration);
        if (Chance(r)) { m.NullValue = NullValue.NullValue; }

        if (Chance(r)) { m.Renamed = I32(r); }
        if (Chance(r)) { m.AlsoRenamed = Str(r); }
        if (Chance(r)) { m.FieldName1 = I32(r); }
        if (Chance(r)) { m.FieldName13 = I32(r); }
        if (Chance(r)) { m.FieldName18 = I32(r); }
        if (Chance(r)) { m.AllTypes_ = I32(r); }
        if (Chance(r)) { m.Class = Str(r); }
        if (Chance(r)) { m.MaxFieldNumber = I32(r); }
        return m;
    }

    private static Any RandomAny(Random r, int depth) => r.Next(depth > 0 ? 4 : 5) switch
    {
        0 => Any.Pack(Leaf(r)),
        1 => Any.Pack(Timestamp(r)),
        2 => Any.Pack(Value(r, 1)),
        3 => Any.Pack(new StringValue { Value = Str(r) }),
        _ => Any.Pack(Proto3(r, depth + 1)),
    };

    private static Proto2Enum Proto2Enum(Random r) => Pick(r, Interop.Proto2.Proto2Enum.P2One, Interop.Proto2.Proto2Enum.P2Two, Interop.Proto2.Proto2Enum.P2Big, Interop.Proto2.Proto2Enum.P2Negative);

    private static Leaf2 Leaf2(Random r)
    {
        var leaf = new Leaf2();
        if (Chance(r))
        {
            leaf.Text = Str(r);
        }

        if (Chance(r))
        {
            leaf.Number = I32(r);
        }

        return leaf;
    }

    public static Proto2Message Proto2(Random r, int depth)
    {
        var m = new Proto2Message { ReqInt32 = I32(r), ReqString = Str(r), ReqLeaf = Leaf2(r) };
        if (depth < 2 && r.Next(3) == 0) { m.Child = Proto2(r, depth + 1); }
        if (Chance(r))
        {
            m.OptionalGroup = new Proto2Message.Types.OptionalGroup();
            if (Chance(r)) { m.OptionalGroup.A = I32(r); }
            if (Chance(r)) { m.OptionalGroup.B = Str(r); }
        }

        Fill(m.RepeatedGroup, r, x =>
        {
            var group = new Proto2Message.Types.RepeatedGroup();
            if (Chance(x)) { group.C = I32(x); }
            Fill(group.D, x, Str);
            return group;
        });
        Fill(m.PackedInts, r, I32);
        Fill(m.UnpackedInts, r, I32);
        Fill(m.Enums, r, Proto2Enum);
        Fill(m.PackedEnums, r, Proto2Enum);
        Fill(m.Leaves, r, Str, Leaf2);
        Fill(m.EnumMap, r, I32, x => Pick(x, ZeroFirst.ZZero, ZeroFirst.ZOne));
        if (Chance(r)) { m.ClosedEnum = Proto2Enum(r); }
        if (Chance(r)) { m.Blob = Bytes(r); }
        if (Chance(r)) { m.Ratio = F64(r); }
        Fill(m.Sints, r, I64);
        switch (r.Next(5))
        {
            case 0: m.OInt32 = I32(r); break;
            case 1: m.OString = Str(r); break;
            case 2: m.OLeaf = Leaf2(r); break;
            case 3: m.OEnum = Proto2Enum(r); break;
            default: break;
        }

        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtInt32, I32(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtString, Str(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtEnum, Proto2Enum(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtLeaf, Leaf2(r)); }
        Fill(m, Proto2Extensions.ExtRepeatedInt32, r, I32);
        Fill(m, Proto2Extensions.ExtPackedInt32, r, I32);
        Fill(m, Proto2Extensions.ExtRepeatedString, r, Str);
        Fill(m, Proto2Extensions.ExtRepeatedLeaf, r, Leaf2);
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtGroup, Chance(r) ? new ExtGroup() : new ExtGroup { G = I32(r) }); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtBytes, Bytes(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtSint64, I64(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtDouble, F64(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtBool, Chance(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtFixed32, U32(r)); }
        if (Chance(r)) { m.SetExtension(Proto2Extensions.ExtBigNumber, U64(r)); }
        if (Chance(r)) { m.SetExtension(Interop.Proto2.Leaf2.Extensions.ScopedLeaf, Leaf2(r)); }
        Fill(m, Interop.Proto2.Leaf2.Extensions.ScopedStrings, r, Str);
        return m;
    }

    private static EditionsMessage.Types.Child Child(Random r, int depth)
    {
        var child = new EditionsMessage.Types.Child();
        if (Chance(r)) { child.X = I32(r); }
        if (Chance(r)) { child.Y = Str(r); }
        if (depth < 3 && r.Next(3) == 0) { child.Next = Child(r, depth + 1); }
        return child;
    }

    public static EditionsMessage Editions(Random r, int depth)
    {
        _ = depth;
        var m = new EditionsMessage { LegacyRequired = I32(r) };
        if (Chance(r)) { m.ExplicitInt32 = I32(r); }
        if (Chance(r)) { m.ImplicitInt32 = I32(r); }
        if (Chance(r)) { m.ImplicitString = Str(r); }
        if (Chance(r)) { m.ExplicitString = Str(r); }
        if (Chance(r)) { m.DelimitedChild = Child(r, 0); }
        Fill(m.DelimitedChildren, r, x => Child(x, 1));
        if (Chance(r)) { m.LengthPrefixedChild = Child(r, 0); }
        Fill(m.PackedInt32, r, I32);
        Fill(m.ExpandedInt32, r, I32);
        if (Chance(r)) { m.OpenEnum = r.Next(3) == 0 ? (OpenEnum)I32(r) : Pick(r, OpenEnum.OpenZero, OpenEnum.OpenOne, OpenEnum.OpenTwo); }
        if (Chance(r)) { m.ClosedEnum = Pick(r, ClosedEnum.ClosedOne, ClosedEnum.ClosedTwo); }
        if (Chance(r)) { m.WithDefault = Str(r); }
        if (Chance(r)) { m.Int32WithDefault = I32(r); }
        Fill(m.Children, r, Str, x => Child(x, 1));
        if (Chance(r)) { m.UncheckedUtf8 = Str(r); }
        if (Chance(r)) { m.ImplicitBytes = Bytes(r); }
        Fill(m.ClosedEnums, r, x => Pick(x, ClosedEnum.ClosedOne, ClosedEnum.ClosedTwo));
        switch (r.Next(4))
        {
            case 0: m.ChoiceInt32 = I32(r); break;
            case 1: m.ChoiceChild = Child(r, 1); break;
            case 2: m.ChoiceString = Str(r); break;
            default: break;
        }

        if (Chance(r)) { m.SetExtension(EditionsExtensions.EdInt32, I32(r)); }
        if (Chance(r)) { m.SetExtension(EditionsExtensions.EdDelimitedChild, Child(r, 0)); }
        Fill(m, EditionsExtensions.EdPackedInt32, r, I32);
        Fill(m, EditionsExtensions.EdDelimitedChildren, r, x => Child(x, 1));
        return m;
    }
}
