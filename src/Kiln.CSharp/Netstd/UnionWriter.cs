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
            _w.Line("public abstract object Data { get; }");
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
                    using (_w.Block("switch (Isset)"))
                    {
                        foreach (var member in members)
                        {
                            _w.Line($"case {member.Field.Id}:");
                            _w.Line($"  return new {member.ClassName}({Copy(member.Field.Type, member.Accessor)});");
                        }

                        _w.Line("default:");
                        _w.Line("  return new ___undefined();");
                    }
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
        using (_w.Block("public override bool Equals(object that)"))
        {
            _w.Line($"if (!(that is {className} other)) return false;");
            _w.Line("if (ReferenceEquals(this, other)) return true;");
            _w.Line();
            _w.Line("if(this.Isset != other.Isset) return false;");
            _w.Line();
            using (_w.Block("switch (Isset)"))
            {
                foreach (var member in members)
                {
                    _w.Line($"case {member.Field.Id}:");
                    _w.Line($"  return {Equal(member.Field.Type, member.Accessor, "other." + member.Accessor)};");
                }

                _w.Line("default:");
                _w.Line("  return true;");
            }
        }

        _w.Line();
        using (_w.Block("public override int GetHashCode()"))
        {
            using (_w.Block("switch (Isset)"))
            {
                foreach (var member in members)
                {
                    _w.Line($"case {member.Field.Id}:");
                    _w.Line($"  return {Hash(member.Field.Type, member.Accessor)};");
                }

                _w.Line("default:");
                _w.Line("  return (new ___undefined()).GetHashCode();");
            }
        }
    }

    private void WriteUndefined(string className)
    {
        using (_w.Block($"public class ___undefined : {className}"))
        {
            _w.Line("public override object Data { get { return null; } }");
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

            using (_w.Block("public override bool Equals(object that)"))
            {
                _w.Line("if (!(that is ___undefined other)) return false;");
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
        using (_w.Block($"public {member.TypeName} {member.Accessor}"))
        {
            using (_w.Block("get"))
            {
                _w.Line($"return ({member.Field.Id} == Isset) && (Data != null) ? ({member.TypeName})Data : default({member.TypeName});");
            }
        }

        _w.Line();
        using (_w.Block($"public class {member.ClassName} : {className}"))
        {
            _w.Line($"private readonly {member.TypeName} _data;");
            _w.Line("public override object Data { get { return _data; } }");
            using (_w.Block($"public {member.ClassName}({member.TypeName} data) : base({member.Field.Id})"))
            {
                _w.Line("this._data = data;");
            }

            if (!_context.Options.NoDeepCopy)
            {
                using (_w.Block($"public new {member.ClassName} DeepCopy()"))
                {
                    _w.Line($"return new {member.ClassName}({Copy(member.Field.Type, "_data")});");
                }
            }

            _w.Line();
            using (_w.Block("public override bool Equals(object that)"))
            {
                _w.Line($"if (!(that is {className} other)) return false;");
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

    private string Copy(ThriftType type, string value) => NetstdTypes.IsNullable(type)
        ? $"{value} == null ? null : {_context.Wire.DeepCopy(type, value)}"
        : _context.Wire.DeepCopy(type, value);
}
