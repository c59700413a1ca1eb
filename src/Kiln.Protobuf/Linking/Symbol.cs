using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.Protobuf.Linking;

internal enum SymbolKind : byte
{
    Package,
    Message,
    Enum,
    EnumValue,
    Field,
    Extension,
    Oneof,
    Service,
    Method,
}

/// <summary>One named element of a linked file, pointing at its (output) descriptor proto.</summary>
internal sealed class Symbol
{
    private Dictionary<string, Symbol>? _fieldsByName;
    private Dictionary<int, Symbol>? _fieldsByNumber;

    public Symbol(SymbolKind kind, string fullName, LinkedProtoFile file, Symbol? parent, object? proto)
    {
        Kind = kind;
        FullName = fullName;
        File = file;
        Parent = parent;
        Proto = proto;
    }

    public SymbolKind Kind { get; }

    public string FullName { get; }

    /// <summary>
    /// <c>"." + FullName</c>, as resolved type names are written; made once per symbol, as files
    /// name the same types (google.protobuf.Timestamp, ...) thousands of times. Symbols are shared
    /// by the linkers of importing files; two threads making it at once make equal strings.
    /// </summary>
    public string DottedName => _dottedName ??= "." + FullName;

    private string? _dottedName;

    public LinkedProtoFile File { get; }

    /// <summary>The enclosing message (fields, nested types, scoped extensions), enum (values) or service (methods).</summary>
    public Symbol? Parent { get; }

    public object? Proto { get; }

    public DescriptorProto Message => (DescriptorProto)Proto!;

    public EnumDescriptorProto Enum => (EnumDescriptorProto)Proto!;

    public FieldDescriptorProto Field => (FieldDescriptorProto)Proto!;

    public bool IsType => Kind is SymbolKind.Message or SymbolKind.Enum;

    public bool IsAggregate => Kind is SymbolKind.Message or SymbolKind.Enum or SymbolKind.Package or SymbolKind.Service;

    public bool IsField => Kind is SymbolKind.Field or SymbolKind.Extension;

    public string Name
    {
        get
        {
            var dot = FullName.LastIndexOf('.');
            return dot < 0 ? FullName : FullName[(dot + 1)..];
        }
    }

    // ---- message helpers (for option interpretation) ------------------------------------------

    public Symbol? FindFieldByName(string name)
    {
        if (_fieldsByName == null)
        {
            var map = new Dictionary<string, Symbol>(StringComparer.Ordinal);
            foreach (var f in Message.Field)
            {
                if (File.Symbols.TryGetValue(FullName + "." + f.Name, out var s) && s.Kind == SymbolKind.Field)
                {
                    map.TryAdd(f.Name, s);
                }
            }

            _fieldsByName = map;
        }

        return _fieldsByName.GetValueOrDefault(name);
    }

    public Symbol? FindFieldByNumber(int number)
    {
        if (_fieldsByNumber == null)
        {
            var map = new Dictionary<int, Symbol>();
            foreach (var f in Message.Field)
            {
                if (File.Symbols.TryGetValue(FullName + "." + f.Name, out var s) && s.Kind == SymbolKind.Field)
                {
                    map.TryAdd(f.Number, s);
                }
            }

            _fieldsByNumber = map;
        }

        return _fieldsByNumber.GetValueOrDefault(number);
    }

    // ---- field helpers --------------------------------------------------------------------------

    public bool IsRepeated => Field.Label == FieldDescriptorProto.Types.Label.Repeated;

    public FieldType FieldType => Field.Type;

    public bool IsMessageTyped => Field.Type is FieldType.Message or FieldType.Group;

    /// <summary>The resolved type of a message- or enum-typed field, looked up in the field's own file's pool.</summary>
    public Symbol? ResolvedType { get; set; }

    /// <summary>The containing (extended) message of an extension, once resolved.</summary>
    public Symbol? Extendee { get; set; }

    public static bool IsPackable(FieldType type) => type is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    public bool IsPacked
    {
        get
        {
            var f = Field;
            if (f.Label != FieldDescriptorProto.Types.Label.Repeated || !IsPackable(f.Type))
            {
                return false;
            }

            if (f.Options != null && f.Options.HasPacked)
            {
                return f.Options.Packed;
            }

            return File.Syntax switch
            {
                "proto3" => true,
                "editions" => ResolveFeature(static fs => fs.HasRepeatedFieldEncoding ? (int)fs.RepeatedFieldEncoding : 0) is 0 or (int)FeatureSet.Types.RepeatedFieldEncoding.Packed,
                _ => false,
            };
        }
    }

    /// <summary>Whether a singular field has implicit presence (a zero value is not serialized).</summary>
    public bool HasImplicitPresence
    {
        get
        {
            var f = Field;
            if (f.Label == FieldDescriptorProto.Types.Label.Repeated || f.Type is FieldType.Message or FieldType.Group || f.HasOneofIndex || f.Proto3Optional || Kind == SymbolKind.Extension)
            {
                return false;
            }

            return File.Syntax switch
            {
                "proto3" => true,
                "editions" => ResolveFeature(static fs => fs.HasFieldPresence ? (int)fs.FieldPresence : 0) == (int)FeatureSet.Types.FieldPresence.Implicit,
                _ => false,
            };
        }
    }

    /// <summary>The first explicitly set feature value on this element or its parents (0: none, use the edition default).</summary>
    private int ResolveFeature(Func<FeatureSet, int> read)
    {
        for (var s = this; s != null; s = s.Parent)
        {
            var features = s.Proto switch
            {
                FieldDescriptorProto fd => fd.Options?.Features,
                DescriptorProto m => m.Options?.Features,
                EnumDescriptorProto e => e.Options?.Features,
                OneofDescriptorProto o => o.Options?.Features,
                _ => null,
            };
            if (features != null)
            {
                var v = read(features);
                if (v != 0)
                {
                    return v;
                }
            }
        }

        var fileFeatures = File.Descriptor.Options?.Features;
        return fileFeatures != null ? read(fileFeatures) : 0;
    }

    public override string ToString() => $"{Kind} {FullName}";
}
