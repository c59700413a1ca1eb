using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// What the <c>serial</c> and <c>wcf</c> options add to a struct beyond its attributes: the
/// <c>ShouldSerialize*</c> methods <c>XmlSerializer</c> consults, and for an exception the
/// <c>{Name}Fault</c> data class that a WCF <c>[FaultContract]</c> names.
/// </summary>
internal static class DataContractWriter
{
    /// <summary>Every property carries the same order; thrift does not number them.</summary>
    public const string MemberAttribute = "[DataMember(Order = 0)]";

    /// <summary><c>ShouldSerializeX()</c> for every field tracked in <c>__isset</c>, in a region, as thrift writes them.</summary>
    public static void ShouldSerializeMethods(CodeWriter w, IReadOnlyList<FieldShape> shapes)
    {
        var tracked = shapes.Where(shape => shape.HasIsset).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        w.Line("#region XmlSerializer support");
        w.Line();
        foreach (var shape in tracked)
        {
            using (w.Block($"public bool ShouldSerialize{shape.Property.TrimStart('@')}()"))
            {
                w.Line($"return __isset.{shape.IssetMember};");
            }

            w.Line();
        }

        w.Line("#endregion XmlSerializer support");
        w.Line();
    }

    /// <summary>
    /// The <c>{Name}Fault</c> class after an exception: the exception's properties as a plain data contract,
    /// without <c>__isset</c>, documentation or behaviour.
    /// </summary>
    public static void WriteFault(NetstdEmitContext context, CodeWriter w, StructModel exception)
    {
        var shapes = FieldShape.Of(exception.Name, exception.Fields, context.Types, context.Consts, context.Options, isException: false);
        w.Line("[DataContract]");
        using (w.Block($"public partial class {NetstdNames.Escape(exception.Name + "Fault")}"))
        {
            foreach (var shape in shapes.Where(shape => shape.HasIsset))
            {
                w.Line($"private {shape.DeclaredType} {shape.Backing};");
            }

            foreach (var shape in shapes)
            {
                w.Line();
                w.Line(MemberAttribute);
                if (!shape.HasIsset)
                {
                    var initializer = shape.Initializer is null ? "" : $" = {shape.Initializer};";
                    w.Line($"public {shape.DeclaredType} {shape.Property} {{ get; set; }}{initializer}");
                    continue;
                }

                using (w.Block($"public {shape.DeclaredType} {shape.Property}"))
                {
                    using (w.Block("get"))
                    {
                        w.Line($"return {shape.Backing};");
                    }

                    using (w.Block("set"))
                    {
                        w.Line($"this.{shape.Backing} = value;");
                    }
                }
            }

            w.Line();
        }
    }
}
