namespace Kiln.Text;

/// <summary>Collects diagnostics while a front end keeps going after an error.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    public bool HasErrors { get; private set; }

    public void Add(Diagnostic diagnostic)
    {
        _items.Add(diagnostic);
        HasErrors |= diagnostic.IsError;
    }

    public void Add(DiagnosticDescriptor descriptor, SourceText source, int offset, params object?[] args) =>
        Add(descriptor.At(source, offset, args));

    public IReadOnlyList<Diagnostic> Items => _items;

    public Diagnostic[] ToArray() => [.. _items];
}
