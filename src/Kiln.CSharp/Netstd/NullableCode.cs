namespace Kiln.CSharp.Netstd;

/// <summary>
/// The C# spellings that thrift's <c>net6</c> option changes throughout a file: <c>object?</c>, <c>is not</c>,
/// <c>T?</c> and the <c>!</c> that asserts not-null. Without the option each is the pre-C# 8 spelling.
/// </summary>
internal static class NullableCode
{
    /// <summary>The first line of the pragma block under <c>net6</c>.</summary>
    public const string Enable = "#nullable enable                 // requires C# 8.0";

    public static string Object(NetstdOptions options) => options.Net6 ? "object?" : "object";

    /// <summary><c>if (that is not T other) return false;</c>, or <c>if (!(that is T other)) return false;</c> without <c>net6</c>.</summary>
    public static string IsNot(NetstdOptions options, string value, string type, string name) => options.Net6
        ? $"if ({value} is not {type} {name}) return false;"
        : $"if (!({value} is {type} {name})) return false;";

    /// <summary><paramref name="typeName"/> with <c>?</c> under <c>net6</c> when the Thrift type is a C# reference type.</summary>
    public static string Annotated(NetstdOptions options, Kiln.Thrift.Semantics.ThriftType type, string typeName) =>
        options.Net6 && NetstdTypes.IsNullable(type) ? typeName + "?" : typeName;

    /// <summary><c>!</c> under <c>net6</c> when the Thrift type is a C# reference type.</summary>
    public static string NotNull(NetstdOptions options, Kiln.Thrift.Semantics.ThriftType type) =>
        options.Net6 && NetstdTypes.IsNullable(type) ? "!" : "";
}
