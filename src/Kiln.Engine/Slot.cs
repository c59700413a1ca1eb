namespace Kiln.Engine;

/// <summary>
/// One (query kind, key) cell: an input value or a derived memo. Dependencies are recorded as
/// references to slots, so verifying a memo walks objects, never dictionaries.
/// </summary>
internal abstract class Slot
{
    /// <summary>
    /// Makes sure this slot is up to date in <paramref name="requester"/>'s revision (verifying
    /// or re-executing a derived query if it must) and returns the revision in which its value
    /// last changed. It never needs the value itself, so an evicted memo that is still green
    /// is not re-executed.
    /// </summary>
    internal abstract long VerifyChangedAt(QueryContext requester);

    /// <summary>A readable name for messages: <c>parse("a.thrift")</c>.</summary>
    internal abstract string Describe();

    public override string ToString() => Describe();

    internal static string DescribeKey<TKey>(string kind, TKey key) => key switch
    {
        string s => $"{kind}(\"{s}\")",
        _ => $"{kind}({key})",
    };
}
