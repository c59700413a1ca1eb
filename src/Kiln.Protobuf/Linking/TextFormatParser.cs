using System.Globalization;
using Kiln.Protobuf.Syntax;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace Kiln.Protobuf.Linking;

/// <summary>
/// protoc's <c>TextFormat::Parser</c> for aggregate option values: parses text into wire records
/// of a message type (the caller canonicalizes them). Depth-limited; never throws.
/// </summary>
internal sealed class TextFormatParser
{
    private const int MaxDepth = 100;
    private readonly FileLinker _linker;
    private readonly ProtoTokenizer _input;
    private string? _error;

    public TextFormatParser(FileLinker linker, string text)
    {
        _linker = linker;
        _input = new ProtoTokenizer(text, (_, _, message) => _error ??= message);
        _input.Next();
    }

    public bool ParseMessage(Symbol type, WireWriter output, out string error)
    {
        var ok = ConsumeMessageBody(type, output, null, 0);
        if (ok && _input.Current.Type != TokenType.End)
        {
            ok = Fail("Expected identifier, got: " + _input.TextOf(_input.Current));
        }

        error = _error ?? "";
        return ok && _error == null;
    }

    private bool Fail(string message)
    {
        _error ??= $"{_input.Current.Line + 1}:{_input.Current.Column + 1}: {message}";
        return false;
    }

    private bool LookingAt(string text) => _input.Current.Type is not TokenType.End and not TokenType.Start && _input.CurrentText.SequenceEqual(text);

    private bool TryConsume(string text)
    {
        if (LookingAt(text))
        {
            _input.Next();
            return true;
        }

        return false;
    }

    private bool Consume(string text) => TryConsume(text) || Fail($"Expected \"{text}\", found \"{_input.TextOf(_input.Current)}\".");

    private bool ConsumeMessageBody(Symbol type, WireWriter output, string? delimiter, int depth)
    {
        if (depth > MaxDepth)
        {
            return Fail("Message is too deep");
        }

        var seen = new HashSet<int>();
        while (true)
        {
            if (delimiter == null ? _input.Current.Type == TokenType.End : LookingAt(delimiter))
            {
                return true;
            }

            if (_input.Current.Type == TokenType.End)
            {
                return Fail($"Expected \"{delimiter}\".");
            }

            if (!ConsumeField(type, output, seen, depth))
            {
                return false;
            }
        }
    }

    private bool ConsumeField(Symbol type, WireWriter output, HashSet<int> seen, int depth)
    {
        Symbol? field;
        string fieldName;
        if (TryConsume("["))
        {
            var sb = new System.Text.StringBuilder();
            if (_input.Current.Type != TokenType.Identifier)
            {
                return Fail("Expected identifier.");
            }

            sb.Append(_input.CurrentText);
            _input.Next();
            while (TryConsume("."))
            {
                if (_input.Current.Type != TokenType.Identifier)
                {
                    return Fail("Expected identifier.");
                }

                sb.Append('.').Append(_input.CurrentText);
                _input.Next();
            }

            if (LookingAt("/"))
            {
                return Fail("Any type URLs are not supported in option values.");
            }

            if (!Consume("]"))
            {
                return false;
            }

            fieldName = sb.ToString();
            var sym = _linker.LookupSymbolForTextFormat(fieldName, type.FullName);
            field = sym is { Kind: SymbolKind.Extension } && sym.Extendee?.FullName == type.FullName ? sym : null;
            if (field == null)
            {
                return Fail($"Extension \"{fieldName}\" is not defined or is not an extension of \"{type.FullName}\".");
            }
        }
        else
        {
            if (_input.Current.Type != TokenType.Identifier)
            {
                return Fail("Expected identifier, got: " + _input.TextOf(_input.Current));
            }

            fieldName = _input.TextOf(_input.Current);
            _input.Next();
            field = type.FindFieldByName(fieldName);
            if (field == null)
            {
                var lower = fieldName.ToLowerInvariant();
                var candidate = type.FindFieldByName(lower);
                if (candidate != null && candidate.Field.Type == FieldType.Group)
                {
                    field = candidate;
                }
            }

            if (field != null && field.Field.Type == FieldType.Group && field.ResolvedType != null && field.ResolvedType.Name != fieldName && field.Field.Name != fieldName)
            {
                field = null;
            }

            if (field == null)
            {
                return Fail($"Message type \"{type.FullName}\" has no field named \"{fieldName}\".");
            }
        }

        if (!field.IsRepeated && !seen.Add(field.Field.Number))
        {
            return Fail($"Non-repeated field \"{fieldName}\" is specified multiple times.");
        }

        if (field.IsMessageTyped)
        {
            TryConsume(":");
        }
        else if (!Consume(":"))
        {
            return false;
        }

        if (field.IsRepeated && TryConsume("["))
        {
            if (!TryConsume("]"))
            {
                while (true)
                {
                    if (!ConsumeValue(field, output, depth))
                    {
                        return false;
                    }

                    if (TryConsume("]"))
                    {
                        break;
                    }

                    if (!Consume(","))
                    {
                        return false;
                    }
                }
            }
        }
        else if (!ConsumeValue(field, output, depth))
        {
            return false;
        }

        _ = TryConsume(";") || TryConsume(",");
        return true;
    }

    private bool ConsumeValue(Symbol field, WireWriter output, int depth)
    {
        var f = field.Field;
        var number = f.Number;
        if (field.IsMessageTyped)
        {
            string delimiter;
            if (TryConsume("<"))
            {
                delimiter = ">";
            }
            else if (TryConsume("{"))
            {
                delimiter = "}";
            }
            else
            {
                return Fail("Expected \"{\".");
            }

            var type = field.ResolvedType;
            if (type == null)
            {
                return Fail("Unknown message type.");
            }

            var body = new WireWriter();
            if (!ConsumeMessageBody(type, body, delimiter, depth + 1) || !Consume(delimiter))
            {
                return false;
            }

            FileLinker.WriteMessageField(output, number, f.Type, body.WrittenSpan);

            return true;
        }

        switch (f.Type)
        {
            case FieldType.Int32:
            case FieldType.Sint32:
            case FieldType.Sfixed32:
            case FieldType.Int64:
            case FieldType.Sint64:
            case FieldType.Sfixed64:
                {
                    var is32 = f.Type is FieldType.Int32 or FieldType.Sint32 or FieldType.Sfixed32;
                    var negative = TryConsume("-");
                    if (!ConsumeUnsigned(negative ? (is32 ? 1UL + int.MaxValue : 1UL + long.MaxValue) : (is32 ? (ulong)int.MaxValue : (ulong)long.MaxValue), out var u))
                    {
                        return false;
                    }

                    var value = negative ? (long)(0 - u) : (long)u;
                    FileLinker.WriteInt(output, number, f.Type, value);
                    return true;
                }

            case FieldType.Uint32:
            case FieldType.Fixed32:
            case FieldType.Uint64:
            case FieldType.Fixed64:
                {
                    if (!ConsumeUnsigned(f.Type is FieldType.Uint32 or FieldType.Fixed32 ? (ulong)uint.MaxValue : ulong.MaxValue, out var u))
                    {
                        return false;
                    }

                    FileLinker.WriteUInt(output, number, f.Type, u);
                    return true;
                }

            case FieldType.Float:
            case FieldType.Double:
                {
                    if (!ConsumeDouble(out var d))
                    {
                        return false;
                    }

                    FileLinker.WriteFloatingPoint(output, number, f.Type, d);
                    return true;
                }

            case FieldType.Bool:
                {
                    ulong v;
                    if (_input.Current.Type == TokenType.Integer)
                    {
                        if (!ConsumeUnsigned(1, out v))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        var text = _input.TextOf(_input.Current);
                        if (text is "true" or "True" or "t")
                        {
                            v = 1;
                        }
                        else if (text is "false" or "False" or "f")
                        {
                            v = 0;
                        }
                        else
                        {
                            return Fail($"Invalid value for boolean field \"{f.Name}\". Value: \"{text}\".");
                        }

                        _input.Next();
                    }

                    output.WriteTag(number, WireType.Varint);
                    output.WriteVarint(v);
                    return true;
                }

            case FieldType.String:
            case FieldType.Bytes:
                {
                    if (_input.Current.Type != TokenType.String)
                    {
                        return Fail("Expected string, got: " + _input.TextOf(_input.Current));
                    }

                    var bytes = new List<byte>();
                    while (_input.Current.Type == TokenType.String)
                    {
                        ProtoTokenizer.ParseStringAppend(_input.CurrentText, bytes);
                        _input.Next();
                    }

                    output.WriteLengthDelimited(number, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
                    return true;
                }

            case FieldType.Enum:
                {
                    var enumType = field.ResolvedType;
                    if (enumType == null)
                    {
                        return Fail("Unknown enum type.");
                    }

                    long value;
                    if (_input.Current.Type == TokenType.Identifier)
                    {
                        var name = _input.TextOf(_input.Current);
                        var found = false;
                        value = 0;
                        foreach (var v in enumType.Enum.Value)
                        {
                            if (v.Name == name)
                            {
                                value = v.Number;
                                found = true;
                                break;
                            }
                        }

                        if (!found)
                        {
                            return Fail($"Unknown enumeration value of \"{name}\" for field \"{f.Name}\".");
                        }

                        _input.Next();
                    }
                    else
                    {
                        var negative = TryConsume("-");
                        if (!ConsumeUnsigned(negative ? 1UL + int.MaxValue : int.MaxValue, out var u))
                        {
                            return false;
                        }

                        value = negative ? -(long)u : (long)u;
                    }

                    output.WriteTag(number, WireType.Varint);
                    output.WriteVarint((ulong)value);
                    return true;
                }
        }

        return Fail("Unsupported field type.");
    }

    private bool ConsumeUnsigned(ulong max, out ulong value)
    {
        value = 0;
        if (_input.Current.Type != TokenType.Integer)
        {
            return Fail("Expected integer, got: " + _input.TextOf(_input.Current));
        }

        if (!ProtoTokenizer.ParseInteger(_input.CurrentText, max, out value))
        {
            return Fail("Integer out of range (" + _input.TextOf(_input.Current) + ")");
        }

        _input.Next();
        return true;
    }

    private bool ConsumeDouble(out double value)
    {
        value = 0;
        var negative = TryConsume("-");
        var token = _input.Current;
        if (token.Type == TokenType.Integer)
        {
            if (ProtoTokenizer.ParseInteger(_input.CurrentText, ulong.MaxValue, out var u))
            {
                value = u;
            }
            else
            {
                ProtoTokenizer.TryParseFloat(_input.CurrentText, out value);
            }
        }
        else if (token.Type == TokenType.Float)
        {
            ProtoTokenizer.TryParseFloat(_input.CurrentText, out value);
        }
        else if (token.Type == TokenType.Identifier)
        {
            var text = _input.TextOf(token).ToLowerInvariant();
            if (text is "inf" or "infinity")
            {
                value = double.PositiveInfinity;
            }
            else if (text == "nan")
            {
                value = NumberFormat.QuietNaN;
            }
            else
            {
                return Fail("Expected double, got: " + _input.TextOf(token));
            }
        }
        else
        {
            return Fail("Expected double, got: " + _input.TextOf(token));
        }

        _input.Next();
        if (negative)
        {
            value = -value;
        }

        _ = CultureInfo.InvariantCulture;
        return true;
    }
}
