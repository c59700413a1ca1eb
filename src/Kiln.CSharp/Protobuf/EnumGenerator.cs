namespace Kiln.CSharp.Protobuf;

/// <summary>protoc's <c>EnumGenerator</c>: a C# enum with <c>OriginalName</c> attributes.</summary>
internal static class EnumGenerator
{
    public static void Generate(ProtocPrinter printer, CSharpOptions options, CsEnum type)
    {
        DocComments.Write(printer, options, type.File, type.Path);
        if (type.Proto.Options is { Deprecated: true })
        {
            printer.Print("[global::System.ObsoleteAttribute]\n");
        }

        printer.Print("$access_level$ enum $name$ {\n", "access_level", options.ClassAccessLevel, "name", type.Name);
        printer.Indent();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var usedNumbers = new HashSet<int>();
        for (var i = 0; i < type.Proto.Value.Count; i++)
        {
            var value = type.Proto.Value[i];
            DocComments.Write(printer, options, type.File, type.ValuePath(i));
            if (value.Options is { Deprecated: true })
            {
                printer.Print("[global::System.ObsoleteAttribute]\n");
            }

            // Prefix stripping can make two names equal: later ones get underscores (protoc logs a warning).
            var name = CSharpNames.GetEnumValueName(type.Name, value.Name);
            while (!usedNames.Add(name))
            {
                name += "_";
            }

            var template = usedNumbers.Add(value.Number)
                ? "[pbr::OriginalName(\"$original_name$\")] $name$ = $number$,\n"
                : "[pbr::OriginalName(\"$original_name$\", PreferredAlias = false)] $name$ = $number$,\n";
            printer.Print(template, "original_name", value.Name, "name", name, "number", CSharpHelpers.Decimal(value.Number));
        }

        printer.Outdent();
        printer.Print("}\n\n");
    }
}
