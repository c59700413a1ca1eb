using Google.Protobuf.Reflection;

namespace Kiln.Protobuf.Linking;

/// <summary>
/// <c>google/protobuf/descriptor.proto</c> as compiled into Google.Protobuf: the fallback schema of
/// the standard options messages when a file's imports do not bring descriptor.proto (as protoc
/// falls back to its generated pool).
/// </summary>
internal static class BuiltinDescriptor
{
    private static readonly Lazy<LinkedProtoFile> s_file = new(Create);

    public static LinkedProtoFile File => s_file.Value;

    private static LinkedProtoFile Create() => LinkedSymbols.FromLinkedProto(FileDescriptorProto.Parser.ParseFrom(EmbeddedBytes()));

    /// <summary>
    /// The bytes of <c>FileDescriptor.DescriptorProtoFileDescriptor.SerializedData</c>, embedded
    /// (<c>Linking/descriptor.pb</c>; a test keeps them equal to the referenced Google.Protobuf's):
    /// asking Google.Protobuf for them first builds its whole reflection of descriptor.proto, about
    /// 60 ms of a new process, which an MSBuild build pays on every edit.
    /// </summary>
    internal static byte[] EmbeddedBytes()
    {
        using var stream = typeof(BuiltinDescriptor).Assembly.GetManifestResourceStream("Kiln.Protobuf.descriptor.pb")
            ?? throw new InvalidOperationException("Kiln.Protobuf is missing its embedded descriptor.proto");
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }
}

/// <summary>Builds the symbol table of an already-linked descriptor (names fully qualified).</summary>
internal static class LinkedSymbols
{
    public static LinkedProtoFile FromLinkedProto(FileDescriptorProto proto)
    {
        var file = new LinkedProtoFile(proto.Name, proto, null, [], [], false);
        var package = proto.Package ?? "";
        if (package.Length > 0)
        {
            var end = package.Length;
            while (end > 0)
            {
                var name = package[..end];
                file.Symbols.TryAdd(name, new Symbol(SymbolKind.Package, name, file, null, null));
                end = name.LastIndexOf('.');
            }
        }

        var fields = new List<Symbol>();
        foreach (var m in proto.MessageType)
        {
            AddMessage(file, m, package, null, fields);
        }

        foreach (var e in proto.EnumType)
        {
            AddEnum(file, e, package, null);
        }

        foreach (var x in proto.Extension)
        {
            var s = new Symbol(SymbolKind.Extension, Join(package, x.Name), file, null, x);
            file.Symbols.TryAdd(s.FullName, s);
            fields.Add(s);
        }

        foreach (var f in fields)
        {
            if (f.Field.HasTypeName && f.Field.TypeName.StartsWith('.'))
            {
                f.ResolvedType = file.Symbols.GetValueOrDefault(f.Field.TypeName[1..]);
            }

            if (f.Kind == SymbolKind.Extension && f.Field.HasExtendee && f.Field.Extendee.StartsWith('.'))
            {
                f.Extendee = file.Symbols.GetValueOrDefault(f.Field.Extendee[1..]);
                file.ExtensionsByExtendee ??= new Dictionary<string, List<Symbol>>(StringComparer.Ordinal);
                var key = f.Field.Extendee[1..];
                if (!file.ExtensionsByExtendee.TryGetValue(key, out var list))
                {
                    file.ExtensionsByExtendee[key] = list = [];
                }

                list.Add(f);
            }
        }

        return file;
    }

    private static string Join(string scope, string name) => scope.Length == 0 ? name : scope + "." + name;

    private static void AddMessage(LinkedProtoFile file, DescriptorProto m, string scope, Symbol? parent, List<Symbol> fields)
    {
        var full = Join(scope, m.Name);
        var sym = new Symbol(SymbolKind.Message, full, file, parent, m);
        file.Symbols.TryAdd(full, sym);
        foreach (var f in m.Field)
        {
            var fs = new Symbol(SymbolKind.Field, full + "." + f.Name, file, sym, f);
            file.Symbols.TryAdd(fs.FullName, fs);
            fields.Add(fs);
        }

        foreach (var o in m.OneofDecl)
        {
            file.Symbols.TryAdd(full + "." + o.Name, new Symbol(SymbolKind.Oneof, full + "." + o.Name, file, sym, o));
        }

        foreach (var n in m.NestedType)
        {
            AddMessage(file, n, full, sym, fields);
        }

        foreach (var e in m.EnumType)
        {
            AddEnum(file, e, full, sym);
        }

        foreach (var x in m.Extension)
        {
            var s = new Symbol(SymbolKind.Extension, full + "." + x.Name, file, sym, x);
            file.Symbols.TryAdd(s.FullName, s);
            fields.Add(s);
        }
    }

    private static void AddEnum(LinkedProtoFile file, EnumDescriptorProto e, string scope, Symbol? parent)
    {
        var full = Join(scope, e.Name);
        var sym = new Symbol(SymbolKind.Enum, full, file, parent, e);
        file.Symbols.TryAdd(full, sym);
        foreach (var v in e.Value)
        {
            file.Symbols.TryAdd(Join(scope, v.Name), new Symbol(SymbolKind.EnumValue, Join(scope, v.Name), file, sym, v));
        }
    }
}
