using System.Collections.Frozen;
using System.Text;

namespace Kiln.CSharp.Netstd;

/// <summary>How thrift 0.17's netstd generator turns IDL names into C# names, measured against <c>thrift --gen netstd</c>.</summary>
internal static class NetstdNames
{
    /// <summary>
    /// Names written with a leading <c>@</c>: the C# keywords, plus the contextual keywords the
    /// netstd generator escapes too (found by generating a field and a method of each name).
    /// Contextual keywords it leaves alone (<c>by</c>, <c>on</c>, <c>record</c>, ...) stay as they are.
    /// </summary>
    public static readonly FrozenSet<string> Keywords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
        "add", "ascending", "await", "descending", "get", "group", "into", "join", "let", "orderby", "partial", "remove",
        "select", "value", "where", "var", "dynamic", "yield", "global", "set", "async",
    ]);

    /// <summary>A name as an identifier: <c>@lock</c> for a keyword.</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>The member of the <c>Isset</c> struct for a field: it may not be named like the struct itself.</summary>
    public static string IssetMember(string fieldName) => fieldName == "Isset" ? "Isset_" : Escape(fieldName);

    /// <summary>A method parameter or constructor argument; <c>cancellationToken</c> is taken by the generated signature.</summary>
    public static string Parameter(string name) => name == "cancellationToken" ? "cancellationToken_" : Escape(name);

    /// <summary>
    /// The property of a field: the first letter upper-cased (<c>string_thing</c> → <c>String_thing</c>), or with
    /// <c>pascal</c> every underscore dropped and the letter after it upper-cased (→ <c>StringThing</c>).
    /// </summary>
    public static string PropertyBase(string fieldName, bool pascal)
    {
        if (fieldName.Length == 0)
        {
            return fieldName;
        }

        // Most names need no change or only their first letter raised: no builder for those.
        if (!pascal || !fieldName.Contains('_', StringComparison.Ordinal))
        {
            var first = char.ToUpperInvariant(fieldName[0]);
            return first == fieldName[0]
                ? fieldName
                : string.Create(fieldName.Length, (fieldName, first), static (span, state) =>
                {
                    state.fieldName.AsSpan().CopyTo(span);
                    span[0] = state.first;
                });
        }

        var result = new StringBuilder(fieldName.Length);
        result.Append(char.ToUpperInvariant(fieldName[0]));
        var upperNext = false;
        for (var i = 1; i < fieldName.Length; i++)
        {
            var c = fieldName[i];
            if (pascal && c == '_')
            {
                upperNext = true;
                continue;
            }

            result.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        return result.ToString();
    }

    /// <summary>
    /// The properties of a struct's fields, in field order: a name equal to the class's own name,
    /// to the nested <c>Isset</c> struct, to <c>Read</c> or <c>Write</c> (which thrift 0.17 reserves,
    /// measured: <c>bool read</c> becomes <c>Read_</c> in every struct) or to an earlier property gets
    /// <c>_</c> appended until it is free.
    /// </summary>
    public static IReadOnlyList<string> Properties(string className, IEnumerable<string> fieldNames, bool pascal)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var fieldName in fieldNames)
        {
            var name = PropertyBase(fieldName, pascal);
            while (name == className || name is "Isset" or "Read" or "Write" || used.Contains(name))
            {
                name += "_";
            }

            used.Add(name);
            result.Add(Escape(name));
        }

        return result;
    }
}
