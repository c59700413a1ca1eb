using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Everything the struct writers decide per field, computed once: names, nullability and whether
/// presence is tracked in <c>__isset</c>. Behaviour is picked from these flags, not from a class per combination.
/// </summary>
/// <param name="Field">The field as the model has it.</param>
/// <param name="Property">The C# property (<c>String_thing</c>).</param>
/// <param name="Backing">The private field behind a tracked property (<c>_string_thing</c>).</param>
/// <param name="IssetMember">The member of the <c>Isset</c> struct (<c>string_thing</c>).</param>
/// <param name="Parameter">The constructor parameter for a required field (<c>string_thing</c>).</param>
/// <param name="TypeName">The C# type.</param>
/// <param name="IsRequired">A <c>required</c> field: an auto-property, always written, checked on read.</param>
/// <param name="IsNullable">A C# reference type, so writes and copies check for null.</param>
/// <param name="DeclaredType">The type of the property, backing field and constructor parameter: <see cref="TypeName"/>, with <c>?</c> under <c>net6</c> where it may be null.</param>
/// <param name="Initializer">Under <c>net6</c>, what a required auto-property that is not annotated <c>?</c> starts as (<c>= string.Empty</c>); null when none.</param>
internal sealed record FieldShape(
    FieldModel Field,
    string Property,
    string Backing,
    string IssetMember,
    string Parameter,
    string TypeName,
    bool IsRequired,
    bool IsNullable,
    string DeclaredType,
    string? Initializer)
{
    public ThriftType Type => Field.Type;

    /// <summary>Presence is tracked in <c>__isset</c> (every field but a required one).</summary>
    public bool HasIsset => !IsRequired;

    /// <summary>The condition under which the field is written, copied, hashed and printed; null when always.</summary>
    public string? PresentCondition => (IsNullable, HasIsset) switch
    {
        (true, true) => $"({Property} != null) && __isset.{IssetMember}",
        (true, false) => $"({Property} != null)",
        (false, true) => $"__isset.{IssetMember}",
        _ => null,
    };

    /// <summary>The postfix <c>!</c> that tells the <c>net6</c> nullable analysis a read of the property is not null where thrift asserts it.</summary>
    public string NotNull(NetstdOptions options) => options.Net6 && IsNullable ? "!" : "";

    public static IReadOnlyList<FieldShape> Of(string className, IReadOnlyList<FieldModel> fields, NetstdTypes types, ConstCode consts, NetstdOptions options, bool isException)
    {
        var properties = NetstdNames.Properties(className, fields.Select(field => field.Name), options.Pascal);
        var shapes = new List<FieldShape>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var property = properties[i];
            var typeName = types.Name(field.Type);
            var isRequired = field.Requiredness == Requiredness.Required;
            var (declared, initializer) = options.Net6 ? Net6Declaration(field, typeName, isRequired, consts) : (typeName, null);
            shapes.Add(new FieldShape(
                field,
                property,
                "_" + field.Name,
                NetstdNames.IssetMember(field.Name),
                NetstdNames.Parameter(field.Name),
                typeName,
                isRequired,
                NetstdTypes.IsNullable(field.Type),
                declared,
                initializer)
            {
                HidesExceptionMember = isException && NetstdQuirks.ExceptionMembers.Contains(property),
            });
        }

        return shapes;
    }

    /// <summary>
    /// thrift's <c>net6</c> rule: a field that may be absent is <c>T?</c> when <c>T</c> is a reference type; a
    /// required string or binary is not null and starts empty, a required struct or container stays <c>T?</c>, and a
    /// required value type starts at its IDL default (an enum at <c>default</c>) or zero. thrift 0.17 stops on a required exception field
    /// (see <see cref="NetstdQuirks.RequiredExceptionFieldIsNullable"/>); Kiln treats it as a struct.
    /// </summary>
    public static (string Declared, string? Initializer) Net6Declaration(FieldModel field, string typeName, bool isRequired, ConstCode consts)
    {
        var category = NetstdTypes.Category(field.Type);
        var annotated = NetstdTypes.IsNullable(field.Type) && !(isRequired && category is TypeCategory.String or TypeCategory.Binary);
        if (annotated)
        {
            return (typeName + "?", null);
        }

        if (!isRequired)
        {
            return (typeName, null);
        }

        // thrift starts a required enum at default even when the IDL gives it a value (the constructor sets that).
        if (field.Default is { } value and not ErrorConst && category != TypeCategory.Enum)
        {
            return (typeName, consts.Literal(field.Type, value));
        }

        return (typeName, category switch
        {
            TypeCategory.String => "string.Empty",
            TypeCategory.Binary => "Array.Empty<byte>()",
            TypeCategory.Bool => "false",
            TypeCategory.Double => "0.0",
            TypeCategory.I8 or TypeCategory.I16 or TypeCategory.I32 or TypeCategory.I64 => "0",
            _ => "default",
        });
    }

    /// <summary>The property has the name of a <see cref="System.Exception"/> member and needs <c>new</c>.</summary>
    public bool HidesExceptionMember { get; init; }
}
