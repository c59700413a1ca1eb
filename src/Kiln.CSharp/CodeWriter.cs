using System.Runtime.CompilerServices;
using System.Text;

namespace Kiln.CSharp;

/// <summary>
/// An indenting text writer for generated code: lines end in <c>\n</c> on every platform, blocks
/// indent by a fixed unit, and empty lines carry no trailing spaces.
/// </summary>
/// <remarks>
/// Hot path: a big workspace writes tens of millions of lines through here. <c>Line($"...")</c> and
/// <c>Block($"...")</c> bind to <see cref="LineHandler"/>, so the interpolated pieces are appended
/// straight into the one <see cref="StringBuilder"/> of the file instead of first becoming a
/// temporary string per line.
/// </remarks>
public sealed class CodeWriter
{
    private readonly StringBuilder _text;
    private readonly string _unit;
    private int _depth;

    public CodeWriter(string indentUnit = "  ")
        : this(new StringBuilder(), indentUnit)
    {
    }

    /// <summary>Writes into <paramref name="text"/> (the generator reuses one builder per thread).</summary>
    internal CodeWriter(StringBuilder text, string indentUnit = "  ")
    {
        _text = text;
        _unit = indentUnit;
    }

    public int Depth => _depth;

    /// <summary>Writes one line at the current indent; an empty line has no indent.</summary>
    public CodeWriter Line(string text = "") => Line(text.AsSpan());

    /// <summary>Writes one line at the current indent; an empty line has no indent.</summary>
    public CodeWriter Line(ReadOnlySpan<char> text)
    {
        if (text.Length > 0)
        {
            AppendIndent();
            _text.Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes one interpolated line at the current indent without building the line as a string first.</summary>
    public CodeWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler text)
    {
        text.Finish();
        return this;
    }

    /// <summary>Writes text that may hold several lines, each at the current indent.</summary>
    public CodeWriter Lines(string text)
    {
        foreach (var range in text.AsSpan().Split('\n'))
        {
            Line(text.AsSpan(range).TrimEnd('\r'));
        }

        return this;
    }

    public CodeWriter Indent()
    {
        _depth++;
        return this;
    }

    public CodeWriter Outdent()
    {
        if (_depth > 0)
        {
            _depth--;
        }

        return this;
    }

    /// <summary>Writes <c>{</c>, indents, and closes with <c>}</c> (plus <paramref name="close"/>) when disposed.</summary>
    public Block Block(string? header = null, string close = "")
    {
        if (header is not null)
        {
            Line(header);
        }

        return OpenBlock(close);
    }

    /// <summary>As <see cref="Block(string?, string)"/>, with an interpolated header written in place.</summary>
    public Block Block([InterpolatedStringHandlerArgument("")] ref LineHandler header, string close = "")
    {
        header.Finish();
        return OpenBlock(close);
    }

    private Block OpenBlock(string close)
    {
        Line("{");
        Indent();
        return new Block(this, close);
    }

    internal void CloseBlock(string close)
    {
        Outdent();
        AppendIndent();
        _text.Append('}').Append(close).Append('\n');
    }

    private void AppendIndent()
    {
        for (var i = 0; i < _depth; i++)
        {
            _text.Append(_unit);
        }
    }

    public override string ToString() => _text.ToString();

    /// <summary>
    /// The interpolated-string handler behind <c>Line($"...")</c>: writes the indent, then each
    /// piece straight into the writer's builder (formatting exactly as string interpolation does),
    /// and on <see cref="Finish"/> ends the line, or takes the indent back if the line came out empty.
    /// </summary>
    [InterpolatedStringHandler]
    public ref struct LineHandler
    {
        private readonly CodeWriter _writer;
        private readonly int _lineStart;
        private readonly int _textStart;
        private StringBuilder.AppendInterpolatedStringHandler _inner;

        public LineHandler(int literalLength, int formattedCount, CodeWriter writer)
        {
            ArgumentNullException.ThrowIfNull(writer);
            _writer = writer;
            _lineStart = writer._text.Length;
            writer.AppendIndent();
            _textStart = writer._text.Length;
            _inner = new StringBuilder.AppendInterpolatedStringHandler(literalLength, formattedCount, writer._text);
        }

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);

        public void AppendFormatted<T>(T value, int alignment, string? format) => _inner.AppendFormatted(value, alignment, format);

        public void AppendFormatted(ReadOnlySpan<char> value) => _inner.AppendFormatted(value);

        public void AppendFormatted(ReadOnlySpan<char> value, int alignment = 0, string? format = null) => _inner.AppendFormatted(value, alignment, format);

        public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

        public void AppendFormatted(string? value, int alignment = 0, string? format = null) => _inner.AppendFormatted(value, alignment, format);

        public void AppendFormatted(object? value, int alignment = 0, string? format = null) => _inner.AppendFormatted(value, alignment, format);

        internal readonly void Finish()
        {
            var text = _writer._text;
            if (text.Length == _textStart)
            {
                // Nothing was written: an empty line carries no indent.
                text.Length = _lineStart;
            }

            text.Append('\n');
        }
    }
}

/// <summary>An open <c>{ }</c> block of a <see cref="CodeWriter"/>; disposing it closes the brace.</summary>
public readonly struct Block : IDisposable
{
    private readonly CodeWriter? _writer;
    private readonly string _close;

    internal Block(CodeWriter writer, string close)
    {
        _writer = writer;
        _close = close;
    }

    public void Dispose() => _writer?.CloseBlock(_close);
}
