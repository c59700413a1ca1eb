namespace Kiln.Thrift.Semantics;

/// <summary>Levenshtein distance for "did you mean" hints. Cold path: runs only after an error.</summary>
internal static class EditDistance
{
    /// <summary>The distance, or any value at least <paramref name="bound"/> once it is known to reach it.</summary>
    public static int Compute(string a, string b, int bound = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) >= bound)
        {
            return bound;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                rowMinimum = Math.Min(rowMinimum, current[j]);
            }

            if (rowMinimum >= bound)
            {
                return bound;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
