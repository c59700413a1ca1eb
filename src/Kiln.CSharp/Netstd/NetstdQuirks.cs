using System.Collections.Frozen;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Behaviour copied from thrift 0.17's netstd output on purpose, and the few places where Kiln
/// departs from it, each with the reason. Writers read these instead of hard-coding the oddity.
/// </summary>
internal static class NetstdQuirks
{
    // ---- Copied: they are visible on the wire or in the public API, so compatibility needs them.

    /// <summary>
    /// A service result struct names its fields on the wire by their property (<c>"Success"</c>,
    /// <c>"Ouch"</c>), not by the IDL name. Only the JSON protocol could see it, and it writes ids, not
    /// names; copied so that debugging output matches thrift's.
    /// </summary>
    public static string ResultFieldWireName(string property) => property;

    /// <summary>The text of the <c>TApplicationException</c> a processor sends when a handler throws; thrift's has a leading space.</summary>
    public const string InternalErrorMessage = " Internal error.";

    /// <summary>
    /// The analyzer suppressions every thrift netstd file starts with, so the same analyzers stay
    /// quiet on Kiln's output. CS8981 is Kiln's addition: IDL type names may be all lower case
    /// (union member classes always are), which the C# 11+ warning-level-7 check would report.
    /// </summary>
    public static readonly string[] Pragmas =
    [
        "#pragma warning disable IDE0079  // remove unnecessary pragmas",
        "#pragma warning disable IDE0017  // object init can be simplified",
        "#pragma warning disable IDE0028  // collection init can be simplified",
        "#pragma warning disable IDE1006  // parts of the code use IDL spelling",
        "#pragma warning disable CA1822   // empty DeepCopy() methods still non-static",
        "#pragma warning disable IDE0083  // pattern matching \"that is not SomeType\" requires net5.0 but we still support earlier versions",
        "#pragma warning disable CS8981   // IDL type names may be lower case",
    ];

    /// <summary>
    /// The collection extensions (<c>Equals</c>, <c>GetHashCode</c>, <c>DeepCopy</c>) cover the container
    /// types of struct fields and of service parameters and results, not those only constants use,
    /// and are ordered by their C# type name (ordinal), as thrift's <c>std::map</c> orders them.
    /// </summary>
    public const bool ExtensionsCoverConstants = false;

    /// <summary>
    /// Constants of scalar types are <c>public const</c>; enums, containers and structs are mutable
    /// <c>public static</c> fields filled in a static constructor. thrift's API, kept.
    /// </summary>
    public const bool MutableStaticConstants = true;

    // ---- Not copied: thrift's output is wrong here, and fixing it changes no API or wire byte.

    /// <summary>
    /// thrift writes a <c>binary</c> constant as <c>public const byte[] X = ...GetBytes(..)</c>, which does
    /// not compile; Kiln writes <c>public static byte[]</c>, the same field to user code.
    /// </summary>
    public const bool BinaryConstantIsStatic = true;

    /// <summary>
    /// An exception field whose property is named like a member of <see cref="System.Exception"/>
    /// (<c>message</c> → <c>Message</c>) hides it; thrift omits <c>new</c> and the compiler warns (CS0114/CS0108).
    /// Kiln adds <c>new</c>: the same property, no warning.
    /// </summary>
    public static readonly FrozenSet<string> ExceptionMembers = FrozenSet.Create(StringComparer.Ordinal,
        ["Message", "Data", "Source", "HelpLink", "StackTrace", "InnerException", "HResult", "TargetSite"]);

    /// <summary>
    /// thrift hashes a <c>binary</c> field by reference (<c>bytes.GetHashCode()</c>) while comparing it
    /// by content, so equal structs could hash differently; Kiln hashes by content (<c>TCollections.GetHashCode</c>).
    /// </summary>
    public const bool BinaryHashByContent = true;

    /// <summary>
    /// thrift's <c>ToString()</c> forgets to count a required field and prints <c>", X: "</c> after it even
    /// when it came first; Kiln counts every field, so the text is always <c>T(A: 1, B: 2)</c>.
    /// </summary>
    public const bool ToStringCountsEveryField = true;
}
