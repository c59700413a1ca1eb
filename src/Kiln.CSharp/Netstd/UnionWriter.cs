using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Writes a union with the <c>union</c> option: an abstract <c>TUnionBase</c> class holding the set
/// member's id in <c>Isset</c>, one nested subclass per member (named like the field), typed
/// <c>As_{field}</c> accessors, a static <c>ReadAsync</c>, and <c>___undefined</c> for no member.
/// </summary>
internal sealed class UnionWriter
{
    private const string Task = "global::System.Threading.Tasks.Task";

    private readonly NetstdEmitContext _context;
    private readonly CodeWriter _w;

    public UnionWriter(NetstdEmitContext context, CodeWriter writer)
    {
        _context = context;
        _w = writer;
    }

    private sealed record Member(FieldModel Field, string ClassName, string Accessor, string TypeName);

    public void Write(StructModel model)
    {
        var className = NetstdNames.Escape(model.Name);
        var members = model.Fields
            .Select(field => new Member(field, NetstdNames.Escape(field.Name), "As_" + field.Name, _context.Types.Name(field.Type)))
            .ToList();

        DocWriter.Summary(_w, model.Doc);
        using (_w.Block($"public abstract partial class {className} : TUnionBase"))
        {
            _w.Line($"public abstract {Task} WriteAsync(TProtocol tProtocol, CancellationToken cancellationToken);");
            _w.Line("public readonly int Isset;");
            _w.Line($"public abstract {Object} Data {{ get; }}");
            using (_w.Block($"protected {className}(int isset)"))
            {
                _w.Line("Isset = isset;");
            }

            _w.Line();
            WriteBaseEquality(className, members);
            if (!_context.Options.NoDeepCopy)
            {
                _w.Line();
                using (_w.Block($"public {className} DeepCopy()"))
                {
                    WriteSwitch(
                        members.Select(member => (member.Field.Id, $"new {member.ClassName}({BaseCopy(member)})")),
                        "new ___undefined()",
                        lastComma: false);
                }
            }

            _w.Line();
            WriteUndefined(className);
            foreach (var member in members)
            {
                _w.Line();
                WriteMember(model.Name, className, member);
            }

            _w.Line();
            WriteRead(className, members);
            _w.Line();
        }
    }

    private void WriteBaseEquality(string className, List<Member> members)
    {
        using (_w.Block($"public override bool Equals({Object} that)"))
        {
            _w.Line(NullableCode.IsNot(_context.Options, "that", className, "other"));
            _w.Line("if (ReferenceEquals(this, other)) return true;");
            _w.Line();
            _w.Line("if(this.Isset != other.Isset) return false;");
            _w.Line();
            WriteSwitch(
                members.Select(member => (member.Field.Id, Equal(member.Field.Type, member.Accessor, "other." + member.Accessor))),
                "true",
                lastComma: true);
        }

        _w.Line();
        using (_w.Block("public override int GetHashCode()"))
        {
            // thrift's net6 spelling has two spaces after the last arm's arrow; kept, it is only layout.
            WriteSwitch(
                members.Select(member => (member.Field.Id, Hash(member.Field.Type, member.Accessor))),
                _context.Options.Net6 ? " (new ___undefined()).GetHashCode()" : "(new ___undefined()).GetHashCode()",
                lastComma: false);
        }
    }

    private void WriteUndefined(string className)
    {
        using (_w.Block($"public class ___undefined : {className}"))
        {
            _w.Line($"public override {Object} Data {{ get {{ return null; }} }}");
            _w.Line("public ___undefined() : base(0) {}");
            _w.Line();
            if (!_context.Options.NoDeepCopy)
            {
                using (_w.Block("public new ___undefined DeepCopy()"))
                {
                    _w.Line("return new ___undefined();");
                }

                _w.Line();
            }

            using (_w.Block($"public override bool Equals({Object} that)"))
            {
                _w.Line(NullableCode.IsNot(_context.Options, "that", "___undefined", "other"));
                _w.Line("if (ReferenceEquals(this, other)) return true;");
                _w.Line("return true;");
            }

            _w.Line();
            using (_w.Block("public override int GetHashCode()"))
            {
                _w.Line("return 157;");
            }

            _w.Line();
            using (_w.Block($"public override {Task} WriteAsync(TProtocol oprot, CancellationToken cancellationToken)"))
            {
                _w.Line("throw new TProtocolException( TProtocolException.INVALID_DATA, \"Cannot persist an union type which is not set.\");");
            }

            _w.Line();
        }
    }

    private void WriteMember(string unionName, string className, Member member)
    {
        var declared = NullableCode.Annotated(_context.Options, member.Field.Type, member.TypeName);
        using (_w.Block($"public {declared} {member.Accessor}"))
        {
            using (_w.Block("get"))
            {
                var fallback = _context.Options.Net6 ? "default" : $"default({member.TypeName})";
                _w.Line($"return ({member.Field.Id} == Isset) && (Data != null) ? ({declared})Data : {fallback};");
            }
        }

        _w.Line();
        using (_w.Block($"public class {member.ClassName} : {className}"))
        {
            _w.Line($"private readonly {member.TypeName} _data;");
            _w.Line($"public override {Object} Data {{ get {{ return _data; }} }}");
            using (_w.Block($"public {member.ClassName}({member.TypeName} data) : base({member.Field.Id})"))
            {
                _w.Line("this._data = data;");
            }

            if (!_context.Options.NoDeepCopy)
            {
                using (_w.Block($"public new {member.ClassName} DeepCopy()"))
                {
                    _w.Line($"return new {member.ClassName}({MemberCopy(member.Field.Type)});");
                }
            }

            _w.Line();
            using (_w.Block($"public override bool Equals({Object} that)"))
            {
                _w.Line(NullableCode.IsNot(_context.Options, "that", className, "other"));
                _w.Line("if (ReferenceEquals(this, other)) return true;");
                _w.Line();
                _w.Line($"return other.Isset == {member.Field.Id} && {Equal(member.Field.Type, "_data", "other." + member.Accessor)};");
            }

            _w.Line();
            using (_w.Block("public override int GetHashCode()"))
            {
                _w.Line($"return {Hash(member.Field.Type, "_data")};");
            }

            _w.Line();
            _w.Line($"public override async {Task} WriteAsync(TProtocol oprot, CancellationToken cancellationToken) {{");
            _w.Indent();
            _w.Line("oprot.IncrementRecursionDepth();");
            using (_w.Block("try"))
            {
                _w.Line($"var struc = new TStruct({ConstCode.StringLiteral(unionName)});");
                _w.Line("await oprot.WriteStructBeginAsync(struc, cancellationToken);");
                _w.Line("var field = new TField();");
                _w.Line($"field.Name = {ConstCode.StringLiteral(member.Field.Name)};");
                _w.Line($"field.Type = {NetstdTypes.TType(member.Field.Type)};");
                _w.Line($"field.ID = {member.Field.Id};");
                _w.Line("await oprot.WriteFieldBeginAsync(field, cancellationToken);");
                _context.Wire.Write(_w, member.Field.Type, "_data");
                _w.Line("await oprot.WriteFieldEndAsync(cancellationToken);");
                _w.Line("await oprot.WriteFieldStopAsync(cancellationToken);");
                _w.Line("await oprot.WriteStructEndAsync(cancellationToken);");
            }

            using (_w.Block("finally"))
            {
                _w.Line("oprot.DecrementRecursionDepth();");
            }

            _w.Outdent();
            _w.Line("}");
        }
    }

    private void WriteRead(string className, List<Member> members)
    {
        using (_w.Block($"public static async Task<{className}> ReadAsync(TProtocol iprot, CancellationToken cancellationToken)"))
        {
            _w.Line("iprot.IncrementRecursionDepth();");
            using (_w.Block("try"))
            {
                var result = _context.Temps.Next();
                _w.Line($"{className} {result};");
                _w.Line("await iprot.ReadStructBeginAsync(cancellationToken);");
                _w.Line("TField field = await iprot.ReadFieldBeginAsync(cancellationToken);");
                using (_w.Block("if (field.Type == TType.Stop)"))
                {
                    _w.Line("await iprot.ReadFieldEndAsync(cancellationToken);");
                    _w.Line($"{result} = new ___undefined();");
                }

                using (_w.Block("else"))
                {
                    using (_w.Block("switch (field.ID)"))
                    {
                        foreach (var member in members)
                        {
                            _w.Line($"case {member.Field.Id}:");
                            _w.Indent();
                            using (_w.Block($"if (field.Type == {NetstdTypes.TType(member.Field.Type)})"))
                            {
                                var value = _context.Temps.Next();
                                _w.Line($"{member.TypeName} {value};");
                                _context.Wire.Read(_w, member.Field.Type, value);
                                _w.Line($"{result} = new {member.ClassName}({value});");
                            }

                            using (_w.Block("else"))
                            {
                                _w.Line("await TProtocolUtil.SkipAsync(iprot, field.Type, cancellationToken);");
                                _w.Line($"{result} = new ___undefined();");
                            }

                            _w.Line("break;");
                            _w.Outdent();
                        }

                        _w.Line("default:");
                        _w.Indent();
                        _w.Line("await TProtocolUtil.SkipAsync(iprot, field.Type, cancellationToken);");
                        _w.Line($"{result} = new ___undefined();");
                        _w.Line("break;");
                        _w.Outdent();
                    }

                    _w.Line("await iprot.ReadFieldEndAsync(cancellationToken);");
                    using (_w.Block("if ((await iprot.ReadFieldBeginAsync(cancellationToken)).Type != TType.Stop)"))
                    {
                        _w.Line("throw new TProtocolException(TProtocolException.INVALID_DATA);");
                    }
                }

                _w.Line("await iprot.ReadStructEndAsync(cancellationToken);");
                _w.Line($"return {result};");
            }

            using (_w.Block("finally"))
            {
                _w.Line("iprot.DecrementRecursionDepth();");
            }
        }
    }

    /// <summary>Equality by content for containers and binary; thrift compares those by reference (see <see cref="NetstdQuirks"/>).</summary>
    private static string Equal(ThriftType type, string left, string right) => WireCode.Equal(type, left, right);

    private static string Hash(ThriftType type, string value) => NetstdTypes.IsNullable(type)
        ? $"({value} == null ? 0 : {WireCode.Hash(type, value)})"
        : WireCode.Hash(type, value);

    private string Object => NullableCode.Object(_context.Options);

    private string Copy(ThriftType type, string value) => NetstdTypes.IsNullable(type)
        ? $"{value} == null ? null : {_context.Wire.DeepCopy(type, value)}"
        : _context.Wire.DeepCopy(type, value);

    /// <summary>A member class's copy of its <c>_data</c>; under <c>net6</c>, asserted not null as thrift does.</summary>
    private string MemberCopy(ThriftType type) => _context.Options.Net6
        ? _context.Wire.DeepCopy(type, "_data") + NullableCode.NotNull(_context.Options, type)
        : Copy(type, "_data");

    /// <summary>
    /// The base class's copy of the set member. Under <c>net6</c> a null member becomes an empty value, as thrift
    /// writes it (see <see cref="NetstdQuirks.Net6CopiesNullAsEmpty"/>); a union member becomes <c>___undefined</c>.
    /// </summary>
    private string BaseCopy(Member member)
    {
        var type = member.Field.Type;
        var value = member.Accessor;
        if (!_context.Options.Net6)
        {
            return Copy(type, value);
        }

        return NetstdTypes.Category(type) switch
        {
            TypeCategory.String => $"{value} ?? string.Empty",
            TypeCategory.Binary => $"{value}?.ToArray() ?? Array.Empty<byte>()",
            TypeCategory.Union when _context.Options.Union => $"{value}?.DeepCopy() ?? new {member.TypeName}.___undefined()",
            TypeCategory.List or TypeCategory.Set or TypeCategory.Map or TypeCategory.Struct or TypeCategory.Union or TypeCategory.Exception
                => $"{value}?.DeepCopy() ?? new()",
            _ => _context.Wire.DeepCopy(type, value),
        };
    }

    /// <summary>
    /// <c>switch (Isset)</c> with a <c>return</c> per member, or under <c>net6</c> the <c>return Isset switch</c>
    /// expression thrift writes instead (the last arm with a comma only in <c>Equals</c>, as thrift has it).
    /// </summary>
    private void WriteSwitch(IEnumerable<(int Id, string Value)> arms, string fallback, bool lastComma)
    {
        if (_context.Options.Net6)
        {
            _w.Line("return Isset switch");
            _w.Line("{");
            _w.Indent();
            foreach (var (id, value) in arms)
            {
                _w.Line($"{id} => {value},");
            }

            _w.Line($"_ => {fallback}{(lastComma ? "," : "")}");
            _w.Outdent();
            _w.Line("};");
            return;
        }

        using (_w.Block("switch (Isset)"))
        {
            foreach (var (id, value) in arms)
            {
                _w.Line($"case {id}:");
                _w.Line($"  return {value};");
            }

            _w.Line("default:");
            _w.Line($"  return {fallback.TrimStart()};");
        }
    }
}
