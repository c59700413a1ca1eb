namespace Kiln.Text;

/// <summary>A half-open range <c>[Start, Start + Length)</c> of UTF-16 offsets in one source text.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public override string ToString() => $"[{Start}..{End})";
}
