namespace Kiln.CSharp.Protobuf;

/// <summary>
/// protoc's <c>io::Printer</c> as its C# generator uses it: <c>$name$</c> substitution, indentation
/// in steps of two spaces written before the first character of each non-empty line (blank lines
/// carry no indent), substituted text written as is.
/// </summary>
internal sealed class ProtocPrinter
{
    private readonly CharBuffer _text;
    private int _indent;
    private bool _atLineStart = true;

    public ProtocPrinter(CharBuffer text) => _text = text;

    public void Indent() => _indent += 2;

    public void Outdent() => _indent -= 2;

    /// <summary>Literal text, no substitution (the template has no <c>$</c>).</summary>
    public void Print(string text) => Write(text.AsSpan());

    /// <summary>A template with variables given inline as name, value, name, value, ... (as protoc's <c>Print</c> takes them).</summary>
    public void Print(string template, params ReadOnlySpan<string> pairs)
    {
        var start = 0;
        while (NextVariable(template, ref start, out var key))
        {
            Write(Lookup(key, pairs));
        }
    }

    /// <summary>A template with <c>$name$</c> variables from <paramref name="vars"/> (<c>$$</c> is a dollar sign).</summary>
    public void Print(Dictionary<string, string> vars, string template)
    {
        var lookup = vars.GetAlternateLookup<ReadOnlySpan<char>>();
        var start = 0;
        while (NextVariable(template, ref start, out var key))
        {
            Write(lookup.TryGetValue(key, out var value) ? value : throw Missing(key));
        }
    }

    /// <summary>
    /// Writes the template's text from <paramref name="start"/> up to its next variable and gives that
    /// variable's name (a <c>$$</c> is written as <c>$</c> here); false when the rest had no variable.
    /// </summary>
    private bool NextVariable(string template, ref int start, out ReadOnlySpan<char> key)
    {
        while (true)
        {
            var open = template.IndexOf('$', start);
            if (open < 0)
            {
                Write(template.AsSpan(start));
                key = default;
                return false;
            }

            Write(template.AsSpan(start, open - start));
            var close = template.IndexOf('$', open + 1);
            start = close + 1;
            if (close > open + 1)
            {
                key = template.AsSpan(open + 1, close - open - 1);
                return true;
            }

            Write("$");
        }
    }

    private static string Lookup(ReadOnlySpan<char> key, ReadOnlySpan<string> pairs)
    {
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (key.SequenceEqual(pairs[i]))
            {
                return pairs[i + 1];
            }
        }

        throw Missing(key);
    }

    private static InvalidOperationException Missing(ReadOnlySpan<char> key) => new($"Template variable ${key}$ has no value.");

    private void Write(ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            if (_atLineStart && text[0] != '\n')
            {
                _text.Append(' ', _indent);
                _atLineStart = false;
            }

            var newline = text.IndexOf('\n');
            if (newline < 0)
            {
                _text.Append(text);
                return;
            }

            _text.Append(text[..(newline + 1)]);
            _atLineStart = true;
            text = text[(newline + 1)..];
        }
    }
}
