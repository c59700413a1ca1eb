using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Interop.Editions;
using Interop.Proto2;
using Interop.Proto3;
using Interop.Rpc;

namespace Interop.Shared;

/// <summary>
/// Messages built through this assembly's generated types. This one source is compiled into both
/// generated libraries (Kiln's and protoc's), so a sample of one name is built by the same statements
/// against each compiler's output: their bytes, JSON and equality must agree.
/// </summary>
public static class Samples
{
    /// <summary>Every message type of the protos, for <c>Any</c> and JSON.</summary>
    public static TypeRegistry TypeRegistry { get; } = TypeRegistry.FromFiles(
        Proto3Reflection.Descriptor, Proto2Reflection.Descriptor, EditionsReflection.Descriptor, ServiceReflection.Descriptor);

    /// <summary>Every extension of the protos.</summary>
    public static ExtensionRegistry Extensions { get; } =
    [
        Proto2Extensions.ExtInt32, Proto2Extensions.ExtString, Proto2Extensions.ExtEnum, Proto2Extensions.ExtLeaf,
        Proto2Extensions.ExtRepeatedInt32, Proto2Extensions.ExtPackedInt32, Proto2Extensions.ExtRepeatedString,
        Proto2Extensions.ExtRepeatedLeaf, Proto2Extensions.ExtGroup, Proto2Extensions.ExtBytes, Proto2Extensions.ExtSint64,
        Proto2Extensions.ExtDouble, Proto2Extensions.ExtBool, Proto2Extensions.ExtFixed32, Proto2Extensions.ExtBigNumber,
        Leaf2.Extensions.ScopedLeaf, Leaf2.Extensions.ScopedStrings,
        EditionsExtensions.EdInt32, EditionsExtensions.EdDelimitedChild, EditionsExtensions.EdPackedInt32,
        EditionsExtensions.EdDelimitedChildren,
    ];

    public static JsonFormatter JsonFormatter { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry));

    /// <summary>Also writes fields at their default values, enums as numbers, and proto field names.</summary>
    public static JsonFormatter JsonFormatterVerbose { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry)
        .WithFormatDefaultValues(true).WithFormatEnumsAsIntegers(true).WithPreserveProtoFieldNames(true));

    public static JsonParser JsonParser { get; } = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry));

    /// <summary>The names <see cref="Build"/> knows.</summary>
    public static IReadOnlyList<string> Names => BuildNames();

    /// <summary>Whether the sample survives a JSON round trip: JSON has no extensions.</summary>
    public static bool HasJson(string name) => name is not ("proto2/full" or "editions/full");

    /// <summary>The sample named <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public static IMessage Build(string name)
    {
        if (name.StartsWith("proto3/oneof:", StringComparison.Ordinal))
        {
            return Proto3Oneof(name["proto3/oneof:".Length..]);
        }

        return name switch
        {
            "proto3/full" => Proto3Full(),
            "proto3/empty" => new AllTypes(),
            "proto3/present-defaults" => Proto3PresentDefaults(),
            "proto3/extremes" => Proto3Extremes(),
            "proto3/unknown-enum-values" => Proto3UnknownEnums(),
            "proto3/leaf" => new Leaf { Text = "leaf", Numbers = { 1, -1 } },
            "proto3/empty-message" => new EmptyMessage(),
            "proto2/full" => Proto2Full(),
            "proto2/required-only" => Proto2RequiredOnly(),
            "proto2/defaults" => new Defaults(),
            "proto2/defaults-set" => Proto2DefaultsSet(),
            "editions/full" => EditionsFull(),
            "editions/required-only" => new EditionsMessage { LegacyRequired = 0 },
            "editions/no-extensions" => EditionsNoExtensions(),
            "rpc/request" => new EchoRequest { Text = "hello", Count = 3, DelayMs = 0, FailCode = 0, Payload = Proto3Full() },
            "rpc/reply" => new EchoReply { Text = "hi", Index = 7, Payload = Proto3Extremes(), Headers = { ["x-a"] = "1", ["x-b"] = "é" } },
            _ => throw new ArgumentException($"no sample named {name}", nameof(name)),
        };
    }

    private static List<string> BuildNames()
    {
        var names = new List<string>
        {
            "proto3/full", "proto3/empty", "proto3/present-defaults", "proto3/extremes", "proto3/unknown-enum-values",
            "proto3/leaf", "proto3/empty-message", "proto2/full", "proto2/required-only", "proto2/defaults",
            "proto2/defaults-set", "editions/full", "editions/required-only", "editions/no-extensions", "rpc/request", "rpc/reply",
        };
        names.AddRange(OneofCases.Select(c => "proto3/oneof:" + c));
        return names;
    }

    public static readonly ByteString AllBytes = ByteString.CopyFrom([.. Enumerable.Range(0, 256).Select(i => (byte)i)]);

    /// <summary>Strings that stress UTF-8: non-ASCII, a surrogate pair, NUL, escapes, and one longer than 127 bytes.</summary>
    public static readonly string[] Strings =
    [
        "", "a", "é ☃ 😀", "\0nul\u0001", "tab\t\"quote\"\\ \n", "\u007f\u0080\u07ff\u0800\uffff", new string('x', 200) + "é",
        "{\"json\": [1, 2]}", "<xml attr='1'/>",
    ];

    public static AllTypes Proto3Full() => new()
    {
        FInt32 = -123456,
        FInt64 = -1234567890123L,
        FUint32 = 4_000_000_000u,
        FUint64 = 18_000_000_000_000_000_000ul,
        FSint32 = -64,
        FSint64 = long.MinValue,
        FFixed32 = 0xDEADBEEF,
        FFixed64 = ulong.MaxValue,
        FSfixed32 = int.MinValue,
        FSfixed64 = -2,
        FFloat = 3.25f,
        FDouble = -1e300,
        FBool = true,
        FString = "é ☃ 😀",
        FBytes = ByteString.CopyFrom(0, 1, 255),
        FColor = Color.Crimson,
        FNestedEnum = AllTypes.Types.NestedEnum.Baz,
        FNested = new AllTypes.Types.Nested { A = 1, B = "b", Child = new AllTypes.Types.Nested { A = 2, Child = new AllTypes.Types.Nested() } },
        FLeaf = new Leaf { Text = "leaf", Numbers = { 1, 2, 3 } },
        RInt32 = { 0, -1, int.MaxValue, int.MinValue },
        RInt64 = { 0, -1, long.MaxValue, long.MinValue },
        RUint32 = { 0, 1, uint.MaxValue },
        RUint64 = { 0, 1, ulong.MaxValue },
        RSint32 = { 0, -1, 1, int.MinValue, int.MaxValue },
        RSint64 = { 0, -1, 1, long.MinValue, long.MaxValue },
        RFixed32 = { 0, uint.MaxValue },
        RFixed64 = { 0, ulong.MaxValue },
        RSfixed32 = { int.MinValue, 0, int.MaxValue },
        RSfixed64 = { long.MinValue, 0, long.MaxValue },
        RFloat = { 0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue },
        RDouble = { 0d, -0d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue },
        RBool = { true, false, true },
        RString = { Strings },
        RBytes = { ByteString.Empty, AllBytes },
        RColor = { Color.Red, Color.Negative, Color.Max, Color.Unspecified },
        RNestedEnum = { AllTypes.Types.NestedEnum.Foo, AllTypes.Types.NestedEnum.Baz },
        RNested = { new AllTypes.Types.Nested(), new AllTypes.Types.Nested { A = 5 } },
        RLeaf = { new Leaf { Text = "one" }, new Leaf() },
        UInt32 = { 0, -1, int.MaxValue },
        UInt64 = { 0, -1, long.MaxValue },
        UUint32 = { 0, uint.MaxValue },
        UUint64 = { 0, ulong.MaxValue },
        USint32 = { -1, 1 },
        USint64 = { -1, 1 },
        UFixed32 = { 7 },
        UFixed64 = { 7 },
        USfixed32 = { -7 },
        USfixed64 = { -7 },
        UFloat = { 1.5f, -0f },
        UDouble = { 1.5, -0d },
        UBool = { false, true },
        UColor = { Color.Blue, Color.Negative },
        MInt32Int32 = { [0] = 0, [-1] = 1, [int.MaxValue] = int.MinValue },
        MInt64Int64 = { [long.MinValue] = long.MaxValue },
        MUint32Uint32 = { [uint.MaxValue] = 1 },
        MUint64Uint64 = { [ulong.MaxValue] = 2 },
        MSint32Sint32 = { [-5] = -6 },
        MSint64Sint64 = { [-5] = -6 },
        MFixed32Fixed32 = { [1] = 2 },
        MFixed64Fixed64 = { [3] = 4 },
        MSfixed32Sfixed32 = { [-1] = -2 },
        MSfixed64Sfixed64 = { [-3] = -4 },
        MInt32Float = { [1] = 0.5f, [2] = float.NaN },
        MInt32Double = { [1] = 0.25, [2] = double.NegativeInfinity },
        MBoolBool = { [true] = false, [false] = true },
        MStringString = { [""] = "empty key", ["é"] = "☃", ["k"] = "" },
        MStringBytes = { ["all"] = AllBytes, ["none"] = ByteString.Empty },
        MStringColor = { ["red"] = Color.Red, ["zero"] = Color.Unspecified, ["neg"] = Color.Negative },
        MInt32NestedEnum = { [1] = AllTypes.Types.NestedEnum.Bar },
        MStringNested = { ["n"] = new AllTypes.Types.Nested { A = 9, B = "nine" }, ["empty"] = new AllTypes.Types.Nested() },
        MInt64Leaf = { [-1] = new Leaf { Numbers = { 4 } } },
        MStringWrapper = { ["zero"] = 0, ["one"] = 1 },
        MStringTimestamp = { ["epoch"] = new Timestamp(), ["later"] = new Timestamp { Seconds = 1_700_000_000, Nanos = 5 } },
        OneofNested = new AllTypes.Types.Nested { A = 3 },
        SecondLeaf = new Leaf { Text = "second" },
        OInt32 = 0,
        OInt64 = -1,
        OUint32 = 1,
        OUint64 = 2,
        OSint32 = -3,
        OSint64 = 4,
        OFixed32 = 5,
        OFixed64 = 6,
        OSfixed32 = -7,
        OSfixed64 = 8,
        OFloat = -0f,
        ODouble = 0.1,
        OBool = false,
        OString = "",
        OBytes = ByteString.Empty,
        OColor = Color.Unspecified,
        ONested = new AllTypes.Types.Nested(),
        WDouble = 0.5,
        WFloat = -1.5f,
        WInt64 = long.MinValue,
        WUint64 = ulong.MaxValue,
        WInt32 = 0,
        WUint32 = uint.MaxValue,
        WBool = false,
        WString = "wrapped é",
        WBytes = ByteString.CopyFromUtf8("wrapped"),
        RwInt32 = { 1, 0, -1 },
        RwString = { "", "x" },
        Timestamp = Timestamp.FromDateTime(new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc)) + Duration.FromTimeSpan(TimeSpan.FromTicks(1234567)),
        Duration = new Duration { Seconds = -315_576_000_000L, Nanos = -999_999_999 },
        Struct = Struct(),
        Value = Value.ForList(Value.ForNull(), Value.ForBool(true), Value.ForNumber(-2.5), Value.ForString("s"), Value.ForStruct(Struct())),
        ListValue = new ListValue { Values = { Value.ForNumber(1), Value.ForString("two") } },
        Any = Any.Pack(new Leaf { Text = "in any", Numbers = { 42 } }),
        FieldMask = FieldMask.FromString("f_int32,f_nested.a,r_leaf"),
        Empty = new Empty(),
        RAny = { Any.Pack(new Timestamp { Seconds = 1 }), Any.Pack(new AllTypes.Types.Nested { A = 4 }), Any.Pack(Value.ForNumber(3)), Any.Pack(new Int32Value { Value = 1 }) },
        RTimestamp = { new Timestamp(), new Timestamp { Seconds = 253_402_300_799L, Nanos = 999_999_999 } },
        RDuration = { new Duration(), new Duration { Seconds = 1, Nanos = 500_000_000 } },
        NullValue = NullValue.NullValue,
        Renamed = 191,
        AlsoRenamed = "renamed",
        FieldName1 = 1,
        FieldName2 = 2,
        FieldName3 = 3,
        FieldName4 = 4,
        Field0Name5 = 5,
        Field0Name6 = 6,
        FieldName7 = 7,
        FieldName8 = 8,
        FieldName9 = 9,
        FieldName10 = 10,
        FIELDNAME11 = 11,
        FIELDName12 = 12,
        FieldName13 = 13,
        FieldName14 = 14,
        FieldName15 = 15,
        FieldName16 = 16,
        FieldName17 = 17,
        FieldName18 = 18,
        AllTypes_ = 211,
        Class = "class",
        DescriptorValue = 213,
#pragma warning disable CS0612 // deprecated_int32 is [deprecated = true] on purpose.
        DeprecatedInt32 = 220,
#pragma warning restore CS0612
        MaxFieldNumber = 536870911,
    };

    public static Struct Struct() => new()
    {
        Fields =
        {
            ["null"] = Value.ForNull(),
            ["number"] = Value.ForNumber(1.25),
            ["string"] = Value.ForString("é"),
            ["bool"] = Value.ForBool(false),
            ["list"] = Value.ForList(Value.ForNumber(0), Value.ForList()),
            ["struct"] = Value.ForStruct(new Struct { Fields = { ["inner"] = Value.ForString("x") } }),
        },
    };

    /// <summary>Fields that have presence set to their default values: they are serialized.</summary>
    public static AllTypes Proto3PresentDefaults() => new()
    {
        OInt32 = 0,
        OInt64 = 0,
        OUint32 = 0,
        OUint64 = 0,
        OSint32 = 0,
        OSint64 = 0,
        OFixed32 = 0,
        OFixed64 = 0,
        OSfixed32 = 0,
        OSfixed64 = 0,
        OFloat = 0,
        ODouble = 0,
        OBool = false,
        OString = "",
        OBytes = ByteString.Empty,
        OColor = Color.Unspecified,
        ONested = new AllTypes.Types.Nested(),
        OneofUint32 = 0,
        SecondInt32 = 0,
        WDouble = 0,
        WFloat = 0,
        WInt64 = 0,
        WUint64 = 0,
        WInt32 = 0,
        WUint32 = 0,
        WBool = false,
        WString = "",
        WBytes = ByteString.Empty,
        Timestamp = new Timestamp(),
        Duration = new Duration(),
        Struct = new Struct(),
        Value = new Value(),
        ListValue = new ListValue(),
        Any = new Any(),
        FieldMask = new FieldMask(),
        Empty = new Empty(),
        FNested = new AllTypes.Types.Nested(),
        FLeaf = new Leaf(),
        RInt32 = { 0 },
        RString = { "" },
        RNested = { new AllTypes.Types.Nested() },
        MInt32Int32 = { [0] = 0 },
        MStringString = { [""] = "" },
        MStringNested = { [""] = new AllTypes.Types.Nested() },
    };

    public static AllTypes Proto3Extremes() => new()
    {
        FInt32 = int.MinValue,
        FInt64 = long.MaxValue,
        FUint32 = uint.MaxValue,
        FUint64 = ulong.MaxValue,
        FSint32 = int.MaxValue,
        FSint64 = long.MaxValue,
        FFixed32 = uint.MaxValue,
        FFixed64 = 1,
        FSfixed32 = int.MaxValue,
        FSfixed64 = long.MinValue,
        FFloat = float.NaN,
        FDouble = double.MinValue,
        FString = new string('é', 5000),
        FBytes = ByteString.CopyFrom(new byte[70_000]),
        FColor = Color.Max,
        FNestedEnum = AllTypes.Types.NestedEnum.Baz,
        FNested = Deep(60),
        RDouble = { Enumerable.Range(0, 1000).Select(i => i * 0.5) },
        RSint64 = { Enumerable.Range(-500, 1000).Select(i => (long)i << 40) },
        OFloat = float.NegativeInfinity,
        ODouble = double.NaN,
        WDouble = double.NaN,
        WFloat = float.PositiveInfinity,
        OneofDouble = double.MinValue,
        Timestamp = new Timestamp { Seconds = -62_135_596_800L },
        Duration = new Duration { Seconds = 315_576_000_000L, Nanos = 999_999_999 },
        MaxFieldNumber = -1,
    };

    private static AllTypes.Types.Nested Deep(int depth)
    {
        var nested = new AllTypes.Types.Nested { A = depth };
        for (var i = depth - 1; i >= 0; i--)
        {
            nested = new AllTypes.Types.Nested { A = i, Child = nested };
        }

        return nested;
    }

    /// <summary>Enum fields holding numbers the enum does not name (open enums keep them).</summary>
    public static AllTypes Proto3UnknownEnums() => new()
    {
        FColor = (Color)12345,
        FNestedEnum = (AllTypes.Types.NestedEnum)(-99),
        RColor = { (Color)7, Color.Red, (Color)int.MinValue },
        UColor = { (Color)8 },
        MStringColor = { ["unknown"] = (Color)9 },
        OColor = (Color)10,
        OneofEnum = (Color)11,
    };

    /// <summary>The cases of the oneof <c>choice</c>, each set to a default and a non-default value.</summary>
    public static readonly string[] OneofCases =
    [
        "uint32", "uint32-default", "nested", "nested-default", "string", "string-default", "bytes", "bytes-default", "bool",
        "bool-default", "uint64", "float", "float-nan", "double", "enum", "enum-default", "wrapper", "wrapper-default",
        "timestamp", "sint64", "none",
    ];

    public static AllTypes Proto3Oneof(string kind)
    {
        var message = new AllTypes { FInt32 = 1 };
        switch (kind)
        {
            case "uint32": message.OneofUint32 = uint.MaxValue; break;
            case "uint32-default": message.OneofUint32 = 0; break;
            case "nested": message.OneofNested = new AllTypes.Types.Nested { A = 1, B = "x" }; break;
            case "nested-default": message.OneofNested = new AllTypes.Types.Nested(); break;
            case "string": message.OneofString = "é"; break;
            case "string-default": message.OneofString = ""; break;
            case "bytes": message.OneofBytes = AllBytes; break;
            case "bytes-default": message.OneofBytes = ByteString.Empty; break;
            case "bool": message.OneofBool = true; break;
            case "bool-default": message.OneofBool = false; break;
            case "uint64": message.OneofUint64 = ulong.MaxValue; break;
            case "float": message.OneofFloat = -1.5f; break;
            case "float-nan": message.OneofFloat = float.NaN; break;
            case "double": message.OneofDouble = double.Epsilon; break;
            case "enum": message.OneofEnum = Color.Negative; break;
            case "enum-default": message.OneofEnum = Color.Unspecified; break;
            case "wrapper": message.OneofWrapper = long.MinValue; break;
            case "wrapper-default": message.OneofWrapper = 0; break;
            case "timestamp": message.OneofTimestamp = new Timestamp { Seconds = 5, Nanos = 6 }; break;
            case "sint64": message.OneofSint64 = long.MinValue; break;
            case "none": break;
            default: throw new ArgumentException($"no oneof case {kind}", nameof(kind));
        }

        return message;
    }

    public static Proto2Message Proto2RequiredOnly() => new() { ReqInt32 = 0, ReqString = "", ReqLeaf = new Leaf2() };

    public static Proto2Message Proto2Full()
    {
        var message = new Proto2Message
        {
            ReqInt32 = -1,
            ReqString = "required é",
            ReqLeaf = new Leaf2 { Text = "req", Number = 0 },
            Child = new Proto2Message { ReqInt32 = 2, ReqString = "child", ReqLeaf = new Leaf2(), OInt32 = 0 },
            OptionalGroup = new Proto2Message.Types.OptionalGroup { A = 6, B = "group" },
            RepeatedGroup =
            {
                new Proto2Message.Types.RepeatedGroup { C = 9, D = { "d1", "d2" } },
                new Proto2Message.Types.RepeatedGroup(),
            },
            PackedInts = { 1, -1, 300 },
            UnpackedInts = { 1, -1, 300 },
            Enums = { Proto2Enum.P2One, Proto2Enum.P2Negative },
            PackedEnums = { Proto2Enum.P2Big, Proto2Enum.P2Two },
            Leaves = { ["a"] = new Leaf2 { Text = "A" }, [""] = new Leaf2() },
            EnumMap = { [1] = ZeroFirst.ZOne, [0] = ZeroFirst.ZZero },
            ClosedEnum = Proto2Enum.P2Two,
            Blob = AllBytes,
            Ratio = 0.5,
            Sints = { long.MinValue, 0, long.MaxValue },
            OLeaf = new Leaf2 { Number = 23 },
        };
        message.SetExtension(Proto2Extensions.ExtInt32, -100);
        message.SetExtension(Proto2Extensions.ExtString, "ext é");
        message.SetExtension(Proto2Extensions.ExtEnum, Proto2Enum.P2Negative);
        message.SetExtension(Proto2Extensions.ExtLeaf, new Leaf2 { Text = "ext leaf" });
        message.GetOrInitializeExtension(Proto2Extensions.ExtRepeatedInt32).Add([1, 2, -3]);
        message.GetOrInitializeExtension(Proto2Extensions.ExtPackedInt32).Add([4, 5, 600]);
        message.GetOrInitializeExtension(Proto2Extensions.ExtRepeatedString).Add(["x", "", "☃"]);
        message.GetOrInitializeExtension(Proto2Extensions.ExtRepeatedLeaf).Add([new Leaf2 { Number = 1 }, new Leaf2()]);
        message.SetExtension(Proto2Extensions.ExtGroup, new ExtGroup { G = 108 });
        message.SetExtension(Proto2Extensions.ExtBytes, ByteString.CopyFrom(9, 8, 7));
        message.SetExtension(Proto2Extensions.ExtSint64, long.MinValue);
        message.SetExtension(Proto2Extensions.ExtDouble, double.NaN);
        message.SetExtension(Proto2Extensions.ExtBool, false);
        message.SetExtension(Proto2Extensions.ExtFixed32, uint.MaxValue);
        message.SetExtension(Proto2Extensions.ExtBigNumber, ulong.MaxValue);
        message.SetExtension(Leaf2.Extensions.ScopedLeaf, new Leaf2 { Text = "scoped" });
        message.GetOrInitializeExtension(Leaf2.Extensions.ScopedStrings).Add("scoped string");
        return message;
    }

    /// <summary>Every field of <c>Defaults</c> set to a value other than its default.</summary>
    public static Defaults Proto2DefaultsSet() => new()
    {
        DInt32 = 1,
        DInt64 = 2,
        DUint32 = 3,
        DUint64 = 4,
        DSint32 = 5,
        DSint64 = 6,
        DFixed32 = 7,
        DFixed64 = 8,
        DSfixed32 = 9,
        DSfixed64 = 10,
        DFloat = 11,
        DFloatExp = 12,
        DFloatInf = 13,
        DFloatNegInf = 14,
        DFloatNan = 15,
        DDouble = 16,
        DDoubleSmall = 17,
        DDoubleInf = 18,
        DDoubleNegInf = 19,
        DDoubleNan = 20,
        DDoubleInt = 21,
        DBool = false,
        DBoolFalse = true,
        DString = "",
        DStringEscapes = "e",
        DStringUnicode = "u",
        DStringEmpty = "not empty",
        DStringTrigraph = "t",
        DBytes = ByteString.Empty,
        DBytesUtf8 = ByteString.CopyFromUtf8("b"),
        DBytesEmpty = ByteString.CopyFrom(0),
        DEnum = Proto2Enum.P2One,
        DKind = Defaults.Types.Kind.A,
        DEnumFirst = Proto2Enum.P2Two,
        DStringNoDefault = "s",
        DInt32NoDefault = 0,
    };

    public static EditionsMessage EditionsFull()
    {
        var message = EditionsNoExtensions();
        message.SetExtension(EditionsExtensions.EdInt32, 100);
        message.SetExtension(EditionsExtensions.EdDelimitedChild, new EditionsMessage.Types.Child { X = 101, Next = new EditionsMessage.Types.Child { Y = "n" } });
        message.GetOrInitializeExtension(EditionsExtensions.EdPackedInt32).Add([1, 2, 3]);
        message.GetOrInitializeExtension(EditionsExtensions.EdDelimitedChildren).Add([new EditionsMessage.Types.Child { X = 1 }, new EditionsMessage.Types.Child()]);
        return message;
    }

    public static EditionsMessage EditionsNoExtensions() => new()
    {
        ExplicitInt32 = 0,
        ImplicitInt32 = -5,
        ImplicitString = "implicit",
        ExplicitString = "",
        LegacyRequired = 42,
        DelimitedChild = new EditionsMessage.Types.Child { X = 1, Y = "y", Next = new EditionsMessage.Types.Child { X = 2 } },
        DelimitedChildren = { new EditionsMessage.Types.Child { X = 3 }, new EditionsMessage.Types.Child() },
        LengthPrefixedChild = new EditionsMessage.Types.Child { Next = new EditionsMessage.Types.Child { Y = "deep" } },
        PackedInt32 = { 1, -1, 1000 },
        ExpandedInt32 = { 1, -1, 1000 },
        OpenEnum = (OpenEnum)77,
        ClosedEnum = ClosedEnum.ClosedTwo,
        WithDefault = "edition default",
        Int32WithDefault = 0,
        Children = { ["c"] = new EditionsMessage.Types.Child { X = 4, Next = new EditionsMessage.Types.Child() } },
        UncheckedUtf8 = "unchecked é",
        ImplicitBytes = AllBytes,
        ClosedEnums = { ClosedEnum.ClosedOne, ClosedEnum.ClosedTwo },
        ChoiceChild = new EditionsMessage.Types.Child { X = 21 },
    };
}
