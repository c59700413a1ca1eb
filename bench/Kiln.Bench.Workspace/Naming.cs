using System.Text;

namespace Kiln.Bench.Workspace;

internal static class Naming
{
    /// <summary>
    /// <paramref name="name"/> if not used yet, else the name behind a random qualifier (up to 16
    /// tries), else ""; the name returned is marked used.
    /// </summary>
    public static string Unique(HashSet<string> used, string name, Random random)
    {
        if (used.Add(name))
        {
            return name;
        }

        for (var attempt = 0; attempt < 16; attempt++)
        {
            var candidate = Words.FieldQualifiers[random.Next(Words.FieldQualifiers.Length)] + "_" + name;
            if (used.Add(candidate))
            {
                return candidate;
            }
        }

        return "";
    }

    /// <summary>"OrderState123" to "ORDER_STATE123".</summary>
    public static string UpperSnake(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>"OrderSummary" to "order_summary" (digits dropped).</summary>
    public static string LowerSnake(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsDigit(c))
            {
                continue;
            }

            if (i > 0 && char.IsUpper(c))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>"OrderSummary123" to "OrderSummary".</summary>
    public static string WithoutDigits(string name) => name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    /// <summary>protoc's C# file naming: "f0012_order_line" to "F0012OrderLine".</summary>
    public static string ProtocCSharpFileName(string stem)
    {
        var builder = new StringBuilder(stem.Length);
        var capitalizeNext = true;
        foreach (var c in stem)
        {
            if (char.IsAsciiLetterLower(c))
            {
                builder.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                builder.Append(c);
                capitalizeNext = false;
            }
            else if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
            }
        }

        return builder.ToString();
    }
}
