using Google.Protobuf.Reflection;
using FieldLabel = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;
using FieldPresence = Google.Protobuf.Reflection.FeatureSet.Types.FieldPresence;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using MessageEncoding = Google.Protobuf.Reflection.FeatureSet.Types.MessageEncoding;
using RepeatedFieldEncoding = Google.Protobuf.Reflection.FeatureSet.Types.RepeatedFieldEncoding;

namespace Kiln.CSharp.Protobuf;

/// <summary>
/// Linked descriptors seen the way protoc's C++ <c>Descriptor</c> API shows them to its generators:
/// cross-references resolved (field types, extendees, oneofs), editions features resolved to what a
/// generator asks (presence, delimited encoding), source comments by element. Built over the
/// <see cref="FileDescriptorProto"/>s of a compilation; nothing here copies or changes them.
/// </summary>
public sealed class ProtoTypeIndex
{
    private readonly Dictionary<string, CsFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CsType> _types = new(StringComparer.Ordinal);

    public ProtoTypeIndex(IEnumerable<FileDescriptorProto> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            Add(file);
        }
    }

    /// <summary>
    /// Adds a file (its imports must be added too before its types are used). Comments come from
    /// <paramref name="sourceInfo"/> when given, else from the descriptor's own source info.
    /// </summary>
    public CsFile Add(FileDescriptorProto proto, SourceCodeInfo? sourceInfo = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (_files.TryGetValue(proto.Name, out var existing))
        {
            return existing;
        }

        var file = new CsFile(this, proto, sourceInfo ?? proto.SourceCodeInfo);
        _files.Add(proto.Name, file);
        foreach (var m in file.Messages)
        {
            Register(m);
        }

        foreach (var e in file.Enums)
        {
            _types[e.FullName] = e;
        }

        return file;
    }

    /// <summary>
    /// Puts <paramref name="proto"/> in place of the file of the same name (a new version of it, in
    /// a long-lived index): the old version's types leave the index, the new one's enter. Not safe
    /// to call while other threads read the index.
    /// </summary>
    public CsFile Replace(FileDescriptorProto proto, SourceCodeInfo? sourceInfo = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        Remove(proto.Name);
        return Add(proto, sourceInfo);
    }

    /// <summary>
    /// <see cref="Replace"/> for many files: their models are made in parallel (most of the work),
    /// then entered into the index one by one.
    /// </summary>
    public void ReplaceAll(IReadOnlyList<(FileDescriptorProto Proto, SourceCodeInfo? SourceInfo)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var made = new CsFile[files.Count];
        Parallel.For(0, files.Count, i => made[i] = new CsFile(this, files[i].Proto, files[i].SourceInfo ?? files[i].Proto.SourceCodeInfo));
        foreach (var file in made)
        {
            Remove(file.Proto.Name);
            _files.Add(file.Proto.Name, file);
            foreach (var m in file.Messages)
            {
                Register(m);
            }

            foreach (var e in file.Enums)
            {
                _types[e.FullName] = e;
            }
        }
    }

    private void Remove(string name)
    {
        if (_files.Remove(name, out var old))
        {
            foreach (var m in old.Messages)
            {
                Unregister(m);
            }

            foreach (var e in old.Enums)
            {
                _types.Remove(e.FullName);
            }
        }
    }

    private void Unregister(CsMessage message)
    {
        _types.Remove(message.FullName);
        foreach (var nested in message.NestedTypes)
        {
            Unregister(nested);
        }

        foreach (var e in message.EnumTypes)
        {
            _types.Remove(e.FullName);
        }
    }

    private void Register(CsMessage message)
    {
        _types[message.FullName] = message;
        foreach (var nested in message.NestedTypes)
        {
            Register(nested);
        }

        foreach (var e in message.EnumTypes)
        {
            _types[e.FullName] = e;
        }
    }

    public CsFile GetFile(string name) => _files[name];

    public bool TryGetFile(string name, out CsFile file) => _files.TryGetValue(name, out file!);

    /// <summary>A message by its full name, with or without the leading dot.</summary>
    public CsMessage GetMessage(string fullName) => (CsMessage)Find(fullName);

    /// <summary>An enum by its full name, with or without the leading dot.</summary>
    public CsEnum GetEnum(string fullName) => (CsEnum)Find(fullName);

    /// <summary>The C# name (<c>global::Ns.Outer.Types.Inner</c>) of a message or enum by its full proto name.</summary>
    public string GetClassName(string fullName) => Find(fullName).ClassName;

    private CsType Find(string fullName)
    {
        var key = fullName.StartsWith('.') ? fullName[1..] : fullName;
        return _types.TryGetValue(key, out var found)
            ? found
            : throw new KeyNotFoundException($"Type \"{key}\" is not defined in the files given to the C# generator.");
    }
}

/// <summary>What messages and enums share: where they are declared and their names.</summary>
public abstract class CsType
{
    private string? _className;

    private protected CsType(CsFile file, CsMessage? containing, string name, int index, int[] path)
    {
        File = file;
        ContainingType = containing;
        IndexInParent = index;
        Path = path;
        FullName = containing != null ? containing.FullName + "." + name
            : file.Package.Length > 0 ? file.Package + "." + name : name;
    }

    public CsFile File { get; }

    /// <summary>The message this type is nested in, or null at the top of the file.</summary>
    public CsMessage? ContainingType { get; }

    public abstract string Name { get; }

    /// <summary>Full proto name without the leading dot.</summary>
    public string FullName { get; }

    /// <summary>Index among the file's or the containing message's types of this kind.</summary>
    public int IndexInParent { get; }

    /// <summary>Source-info path of this type.</summary>
    public int[] Path { get; }

    /// <summary>The C# name: <c>global::</c>, the namespace, the nesting with <c>.Types.</c> between levels.</summary>
    public string ClassName => _className ??= CSharpNames.ToCSharpName(FullName, File.Proto);
}

/// <summary>One .proto file.</summary>
public sealed class CsFile
{
    private Dictionary<PathKey, SourceCodeInfo.Types.Location>? _locations;
    private string? _namespace;

    private readonly SourceCodeInfo? _sourceInfo;

    internal CsFile(ProtoTypeIndex index, FileDescriptorProto proto, SourceCodeInfo? sourceInfo)
    {
        Index = index;
        Proto = proto;
        _sourceInfo = sourceInfo;
        Edition = proto.Syntax switch
        {
            "proto3" => Edition.Proto3,
            "editions" => proto.Edition,
            _ => Edition.Proto2,
        };
        var messages = new CsMessage[proto.MessageType.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new CsMessage(this, null, proto.MessageType[i], i, [FileDescriptorProto.MessageTypeFieldNumber, i]);
        }

        Messages = messages;
        var enums = new CsEnum[proto.EnumType.Count];
        for (var i = 0; i < enums.Length; i++)
        {
            enums[i] = new CsEnum(this, null, proto.EnumType[i], i, [FileDescriptorProto.EnumTypeFieldNumber, i]);
        }

        Enums = enums;
        var extensions = new CsField[proto.Extension.Count];
        for (var i = 0; i < extensions.Length; i++)
        {
            extensions[i] = new CsField(this, null, null, proto.Extension[i], i, [FileDescriptorProto.ExtensionFieldNumber, i]);
        }

        Extensions = extensions;
    }

    public ProtoTypeIndex Index { get; }

    public FileDescriptorProto Proto { get; }

    public string Name => Proto.Name;

    public string Package => Proto.Package;

    /// <summary>Proto2, proto3, or the edition of an editions file.</summary>
    public Edition Edition { get; }

    public IReadOnlyList<CsMessage> Messages { get; }

    public IReadOnlyList<CsEnum> Enums { get; }

    public IReadOnlyList<CsField> Extensions { get; }

    public string Namespace => _namespace ??= CSharpNames.GetFileNamespace(Proto);

    /// <summary>All source locations of the file (null without source info), detached-only comments included.</summary>
    public SourceCodeInfo? SourceInfo => _sourceInfo;

    /// <summary>The source location recorded for an element's path, as protoc's <c>GetSourceLocation</c> finds it (the first with that path).</summary>
    public SourceCodeInfo.Types.Location? GetLocation(int[] path)
    {
        if (_sourceInfo == null)
        {
            return null;
        }

        if (_locations == null)
        {
            // Only commented locations matter to generators, and most have no comment. Generators ask
            // for elements (messages, fields, enums, values, services, methods, the syntax statement),
            // whose paths protoc records once each, so dropping uncommented ones cannot unmask another.
            var map = new Dictionary<PathKey, SourceCodeInfo.Types.Location>();
            foreach (var location in _sourceInfo.Location)
            {
                if (location.HasLeadingComments || location.HasTrailingComments)
                {
                    map.TryAdd(new PathKey(location.Path), location);
                }
            }

            _locations = map;
        }

        return _locations.GetValueOrDefault(new PathKey(path));
    }

    /// <summary>
    /// A source path as a dictionary key, compared element by element. A class: the framework's
    /// dictionary over a struct of ours is compiled by the JIT in every new process (an MSBuild
    /// build's, about 15 methods), over a class it runs precompiled shared code.
    /// </summary>
    private sealed class PathKey : IEquatable<PathKey>
    {
        private readonly IReadOnlyList<int> _path;
        private readonly int _hash;

        public PathKey(IReadOnlyList<int> path)
        {
            _path = path;
            var hash = new HashCode();
            for (var i = 0; i < path.Count; i++)
            {
                hash.Add(path[i]);
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(PathKey? other)
        {
            if (other is null || _hash != other._hash || _path.Count != other._path.Count)
            {
                return false;
            }

            for (var i = 0; i < _path.Count; i++)
            {
                if (_path[i] != other._path[i])
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is PathKey other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}

/// <summary>A message type.</summary>
public sealed class CsMessage : CsType
{
    internal CsMessage(CsFile file, CsMessage? containing, DescriptorProto proto, int index, int[] path)
        : base(file, containing, proto.Name, index, path)
    {
        Proto = proto;

        var oneofs = new CsOneof[proto.OneofDecl.Count];
        for (var i = 0; i < oneofs.Length; i++)
        {
            oneofs[i] = new CsOneof(this, proto.OneofDecl[i], i);
        }

        Oneofs = oneofs;
        var fields = new CsField[proto.Field.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var f = proto.Field[i];
            var oneof = f.HasOneofIndex && f.OneofIndex < oneofs.Length ? oneofs[f.OneofIndex] : null;
            fields[i] = new CsField(file, this, oneof, f, i, [.. path, DescriptorProto.FieldFieldNumber, i]);
            oneof?.AddField(fields[i]);
        }

        Fields = fields;
        var realOneofs = 0;
        foreach (var o in oneofs)
        {
            if (!o.IsSynthetic)
            {
                realOneofs++;
            }
        }

        RealOneofCount = realOneofs;
        var nested = new CsMessage[proto.NestedType.Count];
        for (var i = 0; i < nested.Length; i++)
        {
            nested[i] = new CsMessage(file, this, proto.NestedType[i], i, [.. path, DescriptorProto.NestedTypeFieldNumber, i]);
        }

        NestedTypes = nested;
        var enums = new CsEnum[proto.EnumType.Count];
        for (var i = 0; i < enums.Length; i++)
        {
            enums[i] = new CsEnum(file, this, proto.EnumType[i], i, [.. path, DescriptorProto.EnumTypeFieldNumber, i]);
        }

        EnumTypes = enums;
        var extensions = new CsField[proto.Extension.Count];
        for (var i = 0; i < extensions.Length; i++)
        {
            extensions[i] = new CsField(file, null, null, proto.Extension[i], i, [.. path, DescriptorProto.ExtensionFieldNumber, i]) { ExtensionScope = this };
        }

        Extensions = extensions;
    }

    public DescriptorProto Proto { get; }

    public override string Name => Proto.Name;

    public IReadOnlyList<CsField> Fields { get; }

    /// <summary>Oneofs in declaration order; real ones come before synthetic ones (protoc checks that).</summary>
    public IReadOnlyList<CsOneof> Oneofs { get; }

    public int RealOneofCount { get; }

    public IReadOnlyList<CsMessage> NestedTypes { get; }

    public IReadOnlyList<CsEnum> EnumTypes { get; }

    public IReadOnlyList<CsField> Extensions { get; }

    public bool IsMapEntry => Proto.Options is { MapEntry: true };

    public bool IsDeprecated => Proto.Options is { Deprecated: true };

    /// <summary>A map entry's key field.</summary>
    public CsField MapKey => Fields[0];

    /// <summary>A map entry's value field.</summary>
    public CsField MapValue => Fields[1];
}

/// <summary>An enum type.</summary>
public sealed class CsEnum : CsType
{
    internal CsEnum(CsFile file, CsMessage? containing, EnumDescriptorProto proto, int index, int[] path)
        : base(file, containing, proto.Name, index, path) => Proto = proto;

    public EnumDescriptorProto Proto { get; }

    public override string Name => Proto.Name;

    /// <summary>The source-info path of value <paramref name="i"/>.</summary>
    public int[] ValuePath(int i) => [.. Path, EnumDescriptorProto.ValueFieldNumber, i];
}

/// <summary>A oneof (real or proto3-optional synthetic).</summary>
public sealed class CsOneof
{
    private readonly List<CsField> _fields = [];

    internal CsOneof(CsMessage containing, OneofDescriptorProto proto, int index)
    {
        ContainingType = containing;
        Proto = proto;
        IndexInParent = index;
    }

    public CsMessage ContainingType { get; }

    public OneofDescriptorProto Proto { get; }

    public string Name => Proto.Name;

    public int IndexInParent { get; }

    public IReadOnlyList<CsField> Fields => _fields;

    /// <summary>The oneof protoc synthesizes for a proto3 <c>optional</c> field.</summary>
    public bool IsSynthetic => _fields.Count == 1 && _fields[0].Proto.Proto3Optional;

    internal void AddField(CsField field) => _fields.Add(field);
}

/// <summary>A field or an extension.</summary>
public sealed class CsField
{
    private CsMessage? _containingType;
    // Lazily computed, shared by generator threads: ints (-1: not yet) so a read never sees half a write.
    private int _type = -1;
    private int _hasPresence = -1;

    internal CsField(CsFile file, CsMessage? containing, CsOneof? oneof, FieldDescriptorProto proto, int index, int[] path)
    {
        File = file;
        _containingType = containing;
        ContainingOneof = oneof;
        Proto = proto;
        IndexInParent = index;
        Path = path;
    }

    public CsFile File { get; }

    public FieldDescriptorProto Proto { get; }

    public string Name => Proto.Name;

    public int Number => Proto.Number;

    public int IndexInParent { get; }

    public int[] Path { get; }

    public bool IsExtension => Proto.HasExtendee;

    /// <summary>For an extension, the message it is declared in (null at file level).</summary>
    public CsMessage? ExtensionScope { get; internal init; }

    /// <summary>The message the field belongs to; for an extension, the extended message (as in protoc).</summary>
    public CsMessage ContainingType => _containingType ??= File.Index.GetMessage(Proto.Extendee);

    public CsOneof? ContainingOneof { get; }

    /// <summary>The oneof unless it is a synthetic one.</summary>
    public CsOneof? RealContainingOneof => ContainingOneof is { IsSynthetic: false } o ? o : null;

    public bool IsRepeated => Proto.Label == FieldLabel.Repeated;

    public bool IsDeprecated => Proto.Options is { Deprecated: true };

    /// <summary>
    /// The type as protoc's <c>FieldDescriptor::type()</c> gives it: a message field of an editions file
    /// with delimited encoding is a group (unless its type is a map entry).
    /// </summary>
    public FieldType Type => (FieldType)(_type >= 0 ? _type : _type = (int)ResolveType());

    public CsMessage? MessageType => Proto.Type is FieldType.Message or FieldType.Group ? File.Index.GetMessage(Proto.TypeName) : null;

    public CsEnum? EnumType => Proto.Type == FieldType.Enum ? File.Index.GetEnum(Proto.TypeName) : null;

    public bool IsMap => Type == FieldType.Message && IsRepeated && MessageType!.IsMapEntry;

    /// <summary>protoc's <c>has_presence()</c>.</summary>
    public bool HasPresence => (_hasPresence >= 0 ? _hasPresence : _hasPresence = ResolvePresence() ? 1 : 0) == 1;

    /// <summary>Repeated and of a scalar type that can be packed.</summary>
    public bool IsPackable => IsRepeated && Type is not (FieldType.String or FieldType.Group or FieldType.Message or FieldType.Bytes);

    /// <summary>protoc's <c>is_packed()</c>: packable, and packed by the syntax's rule or the editions feature.</summary>
    public bool IsPacked => IsPackable && File.Edition switch
    {
        Edition.Proto2 => Proto.Options is { Packed: true },
        Edition.Proto3 => Proto.Options is not { HasPacked: true, Packed: false },
        _ => ResolveFeature(static f => f.HasRepeatedFieldEncoding ? (int)f.RepeatedFieldEncoding : 0) is 0 or (int)RepeatedFieldEncoding.Packed,
    };

    private FieldType ResolveType()
    {
        if (Proto.Type != FieldType.Message || File.Edition < Edition._2023)
        {
            return Proto.Type;
        }

        if (ContainingType.IsMapEntry || MessageType!.IsMapEntry)
        {
            return FieldType.Message;
        }

        var encoding = ResolveFeature(static f => f.HasMessageEncoding ? (int)f.MessageEncoding : 0);
        return encoding == (int)MessageEncoding.Delimited ? FieldType.Group : FieldType.Message;
    }

    private bool ResolvePresence()
    {
        if (IsRepeated)
        {
            return false;
        }

        if (Proto.Type is FieldType.Message or FieldType.Group || IsExtension || ContainingOneof != null)
        {
            return true;
        }

        if (File.Edition == Edition.Proto2)
        {
            return true;
        }

        if (File.Edition == Edition.Proto3)
        {
            return false;
        }

        var presence = ResolveFeature(static f => f.HasFieldPresence ? (int)f.FieldPresence : 0);
        return presence != (int)FieldPresence.Implicit;
    }

    /// <summary>The first value set on the field, its oneof, its enclosing messages or the file (0: none, the edition's default).</summary>
    private int ResolveFeature(Func<FeatureSet, int> read)
    {
        if (Proto.Options?.Features is { } own && read(own) is not 0 and var v)
        {
            return v;
        }

        if (ContainingOneof?.Proto.Options?.Features is { } oneof && read(oneof) is not 0 and var o)
        {
            return o;
        }

        for (var m = IsExtension ? ExtensionScope : ContainingType; m != null; m = m.ContainingType)
        {
            if (m.Proto.Options?.Features is { } features && read(features) is not 0 and var mv)
            {
                return mv;
            }
        }

        return File.Proto.Options?.Features is { } fileFeatures ? read(fileFeatures) : 0;
    }
}
