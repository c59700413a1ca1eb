using System.Text;

namespace Kiln.CSharp;

/// <summary>
/// An indenting text writer for generated code: lines end in <c>\n</c> on every platform, blocks
/// indent by a fixed unit, and empty lines carry no trailing spaces.
/// </summary>
public sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private readonly string _unit;
    private int _depth;

    public CodeWriter(string indentUnit = "  ") => _unit = indentUnit;

    public int Depth => _depth;

    /// <summary>Writes one line at the current indent; an empty line has no indent.</summary>
    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < _depth; i++)
            {
                _text.Append(_unit);
            }

            _text.Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes text that may hold several lines, each at the current indent.</summary>
    public CodeWriter Lines(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line(line.TrimEnd('\r'));
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

        Line("{");
        Indent();
        return new Block(this, close);
    }

    internal void CloseBlock(string close)
    {
        Outdent();
        Line("}" + close);
    }

    public override string ToString() => _text.ToString();
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
