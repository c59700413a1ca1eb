namespace Kiln.CSharp.Netstd;

/// <summary>Fresh local names for one generated file (<c>tmp0</c>, <c>_list1</c>, ...), numbered as thrift does, per file.</summary>
internal sealed class TempNames
{
    private int _next;

    public string Next(string prefix = "tmp") => prefix + _next++;
}
