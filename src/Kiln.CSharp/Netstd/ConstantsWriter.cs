using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Writes <c>{program}Constants</c>: scalars as <c>public const</c>, everything else as <c>public static</c>
/// fields filled in a static constructor, as thrift's netstd generator does.
/// </summary>
internal static class ConstantsWriter
{
    public static void Write(NetstdEmitContext context, CodeWriter w, string className)
    {
        using (w.Block($"public static class {className}"))
        {
            var deferred = new List<ConstModel>();
            foreach (var constant in context.File.Consts)
            {
                DocWriter.Summary(w, constant.Doc);
                var type = context.Types.Name(constant.Type);
                var name = NetstdNames.Escape(constant.Name);
                var category = NetstdTypes.Category(constant.Type);
                if (category is TypeCategory.Bool or TypeCategory.I8 or TypeCategory.I16 or TypeCategory.I32 or TypeCategory.I64
                    or TypeCategory.Double or TypeCategory.String)
                {
                    w.Line($"public const {type} {name} = {context.Consts.Literal(constant.Type, constant.Value)};");
                }
                else if (ConstCode.IsScalar(constant.Type))
                {
                    // Enums, binary and uuid: static fields (thrift's const byte[] does not compile, see NetstdQuirks).
                    w.Line($"public static {type} {name} = {context.Consts.Literal(constant.Type, constant.Value)};");
                }
                else
                {
                    w.Line($"public static {type} {name} = new {type}();");
                    deferred.Add(constant);
                }
            }

            if (deferred.Count == 0)
            {
                return;
            }

            using (w.Block($"static {className}()"))
            {
                foreach (var constant in deferred)
                {
                    context.Consts.Assign(w, constant.Type, constant.Value, NetstdNames.Escape(constant.Name), create: false);
                }
            }
        }
    }
}
