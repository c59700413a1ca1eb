using Kiln.Thrift.Semantics;
using Kiln.Thrift.Syntax;

namespace Kiln.CSharp.Netstd;

/// <summary>What a generated struct class is for; service args and results have small differences.</summary>
internal enum StructRole
{
    /// <summary>A struct, exception, or a union without the <c>union</c> option.</summary>
    Plain,

    /// <summary>A service function's arguments (<c>foo_args</c>).</summary>
    Args,

    /// <summary>A service function's result (<c>foo_result</c>): at most one field is written.</summary>
    Result,
}

/// <summary>Writes one struct-like class implementing <c>TBase</c>: properties, <c>Isset</c>, constructors, <c>DeepCopy</c>, read, write, equality, <c>ToString</c>.</summary>
internal sealed class StructWriter
{
    private readonly NetstdEmitContext _context;
    private readonly CodeWriter _w;

    public StructWriter(NetstdEmitContext context, CodeWriter writer)
    {
        _context = context;
        _w = writer;
    }

    private NetstdOptions Options => _context.Options;

    private TempNames Temps => _context.Temps;

    public void Write(string name, StructKind kind, IReadOnlyList<FieldModel> fields, string? doc, StructRole role)
    {
        var isException = kind == StructKind.Exception;
        var shapes = FieldShape.Of(name, fields, _context.Types, _context.Consts, Options, isException);
        var className = NetstdNames.Escape(name);

        DocWriter.Summary(_w, doc);
        if (Options.DataContracts && !isException)
        {
            // thrift marks structs, unions and service args/results, but not exceptions (their Fault class is the contract).
            _w.Line("[DataContract(Namespace=\"\")]");
        }

        var bases = isException ? "TException, TBase" : "TBase";
        using (_w.Block($"public partial class {className} : {bases}"))
        {
            WriteFields(shapes);
            WriteIsset(shapes);
            if (Options.DataContracts)
            {
                DataContractWriter.ShouldSerializeMethods(_w, shapes);
            }

            WriteConstructors(className, shapes);
            if (!Options.NoDeepCopy)
            {
                WriteDeepCopy(className, shapes);
            }

            WriteRead(shapes);
            _w.Line();
            if (role == StructRole.Result)
            {
                WriteResultWrite(name, shapes);
            }
            else
            {
                WriteWrite(name, shapes);
            }

            _w.Line();
            WriteEquals(className, shapes);
            _w.Line();
            WriteGetHashCode(shapes);
            _w.Line();
            WriteToString(name, shapes);
        }
    }

    private void WriteFields(IReadOnlyList<FieldShape> shapes)
    {
        foreach (var shape in shapes.Where(shape => shape.HasIsset))
        {
            _w.Line($"private {shape.DeclaredType} {shape.Backing};");
        }

        foreach (var shape in shapes)
        {
            _w.Line();
            if (shape.Type is NamedType { Target: null, Definition.Kind: DefinitionKind.Enum } enumType)
            {
                // thrift points enum-typed properties at their enum, even without a doc comment.
                DocWriter.Summary(_w, shape.Field.Doc ?? "", seeAlso: _context.Types.Qualified(enumType.Definition));
            }
            else
            {
                DocWriter.Summary(_w, shape.Field.Doc);
            }
            if (Options.DataContracts)
            {
                _w.Line(DataContractWriter.MemberAttribute);
            }

            var modifiers = shape.HidesExceptionMember ? "public new" : "public";
            if (!shape.HasIsset)
            {
                var initializer = shape.Initializer is null ? "" : $" = {shape.Initializer};";
                _w.Line($"{modifiers} {shape.DeclaredType} {shape.Property} {{ get; set; }}{initializer}");
                continue;
            }

            using (_w.Block($"{modifiers} {shape.DeclaredType} {shape.Property}"))
            {
                using (_w.Block("get"))
                {
                    _w.Line($"return {shape.Backing};");
                }

                using (_w.Block("set"))
                {
                    _w.Line($"__isset.{shape.IssetMember} = true;");
                    _w.Line($"this.{shape.Backing} = value;");
                }
            }
        }

        _w.Line();
    }

    private void WriteIsset(IReadOnlyList<FieldShape> shapes)
    {
        var tracked = shapes.Where(shape => shape.HasIsset).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        var contracts = Options.DataContracts;
        _w.Line();
        if (contracts)
        {
            _w.Line("[DataMember(Order = 1)]");
        }

        _w.Line("public Isset __isset;");
        if (contracts)
        {
            _w.Line("[DataContract]");
        }

        using (_w.Block("public struct Isset"))
        {
            foreach (var shape in tracked)
            {
                if (contracts)
                {
                    _w.Line("[DataMember]");
                }

                _w.Line($"public bool {shape.IssetMember};");
            }
        }

        _w.Line();
    }

    private void WriteConstructors(string className, IReadOnlyList<FieldShape> shapes)
    {
        using (_w.Block($"public {className}()"))
        {
            foreach (var shape in shapes)
            {
                if (shape.Field.Default is not { } value || value is ErrorConst)
                {
                    continue;
                }

                var target = shape.HasIsset ? $"this.{shape.Backing}" : $"this.{shape.Property}";
                _context.Consts.Assign(_w, shape.Type, value, target);
                if (shape.HasIsset)
                {
                    _w.Line($"this.__isset.{shape.IssetMember} = true;");
                }
            }
        }

        var required = shapes.Where(shape => shape.IsRequired).ToList();
        if (required.Count > 0)
        {
            _w.Line();
            var parameters = string.Join(", ", required.Select(shape => $"{shape.DeclaredType} {shape.Parameter}"));
            using (_w.Block($"public {className}({parameters}) : this()"))
            {
                foreach (var shape in required)
                {
                    _w.Line($"this.{shape.Property} = {shape.Parameter};");
                }
            }
        }

        _w.Line();
    }

    private void WriteDeepCopy(string className, IReadOnlyList<FieldShape> shapes)
    {
        using (_w.Block($"public {className} DeepCopy()"))
        {
            var copy = Temps.Next();
            _w.Line($"var {copy} = new {className}();");
            foreach (var shape in shapes)
            {
                var value = _context.Wire.DeepCopy(shape.Type, $"this.{shape.Property}") + shape.NotNull(Options);
                if (shape.PresentCondition is { } condition)
                {
                    using (_w.Block($"if({condition})"))
                    {
                        _w.Line($"{copy}.{shape.Property} = {value};");
                    }
                }
                else
                {
                    _w.Line($"{copy}.{shape.Property} = {value};");
                }

                if (shape.HasIsset)
                {
                    _w.Line($"{copy}.__isset.{shape.IssetMember} = this.__isset.{shape.IssetMember};");
                }
            }

            _w.Line($"return {copy};");
        }

        _w.Line();
    }

    private void WriteRead(IReadOnlyList<FieldShape> shapes)
    {
        using (_w.Block("public async global::System.Threading.Tasks.Task ReadAsync(TProtocol iprot, CancellationToken cancellationToken)"))
        {
            _w.Line("iprot.IncrementRecursionDepth();");
            using (_w.Block("try"))
            {
                foreach (var shape in shapes.Where(shape => shape.IsRequired))
                {
                    _w.Line($"bool isset_{shape.Field.Name} = false;");
                }

                _w.Line("TField field;");
                _w.Line("await iprot.ReadStructBeginAsync(cancellationToken);");
                using (_w.Block("while (true)"))
                {
                    _w.Line("field = await iprot.ReadFieldBeginAsync(cancellationToken);");
                    using (_w.Block("if (field.Type == TType.Stop)"))
                    {
                        _w.Line("break;");
                    }

                    _w.Line();
                    using (_w.Block("switch (field.ID)"))
                    {
                        foreach (var shape in shapes)
                        {
                            _w.Line($"case {shape.Field.Id}:");
                            _w.Indent();
                            using (_w.Block($"if (field.Type == {NetstdTypes.TType(shape.Type)})"))
                            {
                                _context.Wire.Read(_w, shape.Type, shape.Property);
                                if (shape.IsRequired)
                                {
                                    _w.Line($"isset_{shape.Field.Name} = true;");
                                }
                            }

                            using (_w.Block("else"))
                            {
                                _w.Line("await TProtocolUtil.SkipAsync(iprot, field.Type, cancellationToken);");
                            }

                            _w.Line("break;");
                            _w.Outdent();
                        }

                        _w.Line("default:");
                        _w.Indent();
                        _w.Line("await TProtocolUtil.SkipAsync(iprot, field.Type, cancellationToken);");
                        _w.Line("break;");
                        _w.Outdent();
                    }

                    _w.Line();
                    _w.Line("await iprot.ReadFieldEndAsync(cancellationToken);");
                }

                _w.Line();
                _w.Line("await iprot.ReadStructEndAsync(cancellationToken);");
                foreach (var shape in shapes.Where(shape => shape.IsRequired))
                {
                    using (_w.Block($"if (!isset_{shape.Field.Name})"))
                    {
                        _w.Line("throw new TProtocolException(TProtocolException.INVALID_DATA);");
                    }
                }
            }

            using (_w.Block("finally"))
            {
                _w.Line("iprot.DecrementRecursionDepth();");
            }
        }
    }

    private void WriteWrite(string name, IReadOnlyList<FieldShape> declared)
    {
        var shapes = NetstdQuirks.InWriteOrder(declared);
        WriteWriteFrame(name, shapes.Count > 0, field =>
        {
            foreach (var shape in shapes)
            {
                if (shape.PresentCondition is { } condition)
                {
                    using (_w.Block($"if({condition})"))
                    {
                        WriteField(field, shape, shape.Field.Name);
                    }
                }
                else
                {
                    WriteField(field, shape, shape.Field.Name);
                }
            }
        });
    }

    private void WriteResultWrite(string name, IReadOnlyList<FieldShape> declared)
    {
        var shapes = NetstdQuirks.InWriteOrder(declared);
        WriteWriteFrame(name, shapes.Count > 0, field =>
        {
            _w.Line();
            for (var i = 0; i < shapes.Count; i++)
            {
                var shape = shapes[i];
                using (_w.Block($"{(i == 0 ? "if" : "else if")}(this.__isset.{shape.IssetMember})"))
                {
                    var wireName = NetstdQuirks.ResultFieldWireName(shape.Property);
                    if (shape.IsNullable)
                    {
                        using (_w.Block($"if ({shape.Property} != null)"))
                        {
                            WriteField(field, shape, wireName);
                        }
                    }
                    else
                    {
                        WriteField(field, shape, wireName);
                    }
                }
            }
        });
    }

    private void WriteWriteFrame(string name, bool hasFields, Action<string> body)
    {
        using (_w.Block("public async global::System.Threading.Tasks.Task WriteAsync(TProtocol oprot, CancellationToken cancellationToken)"))
        {
            _w.Line("oprot.IncrementRecursionDepth();");
            using (_w.Block("try"))
            {
                var header = Temps.Next();
                _w.Line($"var {header} = new TStruct({ConstCode.StringLiteral(name)});");
                _w.Line($"await oprot.WriteStructBeginAsync({header}, cancellationToken);");
                if (hasFields)
                {
                    var field = Temps.Next();
                    _w.Line($"var {field} = new TField();");
                    body(field);
                }

                _w.Line("await oprot.WriteFieldStopAsync(cancellationToken);");
                _w.Line("await oprot.WriteStructEndAsync(cancellationToken);");
            }

            using (_w.Block("finally"))
            {
                _w.Line("oprot.DecrementRecursionDepth();");
            }
        }
    }

    private void WriteField(string field, FieldShape shape, string wireName)
    {
        _w.Line($"{field}.Name = {ConstCode.StringLiteral(wireName)};");
        _w.Line($"{field}.Type = {NetstdTypes.TType(shape.Type)};");
        _w.Line($"{field}.ID = {shape.Field.Id};");
        _w.Line($"await oprot.WriteFieldBeginAsync({field}, cancellationToken);");
        _context.Wire.Write(_w, shape.Type, shape.Property);
        _w.Line("await oprot.WriteFieldEndAsync(cancellationToken);");
    }

    private void WriteEquals(string className, IReadOnlyList<FieldShape> shapes)
    {
        using (_w.Block($"public override bool Equals({NullableCode.Object(Options)} that)"))
        {
            _w.Line(NullableCode.IsNot(Options, "that", className, "other"));
            _w.Line("if (ReferenceEquals(this, other)) return true;");
            if (shapes.Count == 0)
            {
                _w.Line("return true;");
                return;
            }

            for (var i = 0; i < shapes.Count; i++)
            {
                var shape = shapes[i];
                var equal = WireCode.Equal(shape.Type, shape.Property, $"other.{shape.Property}");
                var term = shape.HasIsset
                    ? $"((__isset.{shape.IssetMember} == other.__isset.{shape.IssetMember}) && ((!__isset.{shape.IssetMember}) || ({equal})))"
                    : equal;
                var prefix = i == 0 ? "return " : "  && ";
                var suffix = i == shapes.Count - 1 ? ";" : "";
                _w.Line(prefix + term + suffix);
            }
        }
    }

    private void WriteGetHashCode(IReadOnlyList<FieldShape> shapes)
    {
        _w.Line("public override int GetHashCode() {");
        _w.Indent();
        _w.Line("int hashcode = 157;");
        _w.Line("unchecked {");
        _w.Indent();
        foreach (var shape in shapes)
        {
            var line = $"hashcode = (hashcode * 397) + {WireCode.Hash(shape.Type, shape.Property)};";
            if (shape.PresentCondition is { } condition)
            {
                using (_w.Block($"if({condition})"))
                {
                    _w.Line(line);
                }
            }
            else
            {
                _w.Line(line);
            }
        }

        _w.Outdent();
        _w.Line("}");
        _w.Line("return hashcode;");
        _w.Outdent();
        _w.Line("}");
    }

    private void WriteToString(string name, IReadOnlyList<FieldShape> shapes)
    {
        using (_w.Block("public override string ToString()"))
        {
            var text = Temps.Next();
            _w.Line($"var {text} = new StringBuilder({ConstCode.StringLiteral(name + "(")});");
            if (shapes.Count > 0)
            {
                var count = Temps.Next();
                _w.Line($"int {count} = 0;");
                foreach (var shape in shapes)
                {
                    void Body()
                    {
                        _w.Line($"if(0 < {count}++) {{ {text}.Append(\", \"); }}");
                        _w.Line($"{text}.Append({ConstCode.StringLiteral(shape.Property.TrimStart('@') + ": ")});");
                        _w.Line($"{shape.Property}.ToString({text});");
                    }

                    if (shape.PresentCondition is { } condition)
                    {
                        using (_w.Block($"if({condition})"))
                        {
                            Body();
                        }
                    }
                    else
                    {
                        Body();
                    }
                }
            }

            _w.Line($"{text}.Append(')');");
            _w.Line($"return {text}.ToString();");
        }
    }
}
