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
internal sealed record FieldShape(
    FieldModel Field,
    string Property,
    string Backing,
    string IssetMember,
    string Parameter,
    string TypeName,
    bool IsRequired,
    bool IsNullable)
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

    public static IReadOnlyList<FieldShape> Of(string className, IReadOnlyList<FieldModel> fields, NetstdTypes types, NetstdOptions options, bool isException)
    {
        var properties = NetstdNames.Properties(className, fields.Select(field => field.Name), options.Pascal);
        var shapes = new List<FieldShape>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var property = properties[i];
            shapes.Add(new FieldShape(
                field,
                property,
                "_" + field.Name,
                NetstdNames.IssetMember(field.Name),
                NetstdNames.Parameter(field.Name),
                types.Name(field.Type),
                field.Requiredness == Requiredness.Required,
                NetstdTypes.IsNullable(field.Type))
            {
                HidesExceptionMember = isException && NetstdQuirks.ExceptionMembers.Contains(property),
            });
        }

        return shapes;
    }

    /// <summary>The property has the name of a <see cref="System.Exception"/> member and needs <c>new</c>.</summary>
    public bool HidesExceptionMember { get; init; }
}
