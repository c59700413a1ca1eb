using System.Globalization;
using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>Writes a Thrift enum as a C# enum with explicit values.</summary>
internal static class EnumWriter
{
    public static void Write(CodeWriter w, EnumModel model)
    {
        DocWriter.Summary(w, model.Doc);
        using (w.Block($"public enum {NetstdNames.Escape(model.Name)}"))
        {
            foreach (var member in model.Members)
            {
                DocWriter.Summary(w, member.Doc);
                w.Line($"{NetstdNames.Escape(member.Name)} = {member.Value.ToString(CultureInfo.InvariantCulture)},");
            }
        }
    }
}
