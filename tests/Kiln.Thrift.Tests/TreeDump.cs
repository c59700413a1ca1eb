using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Kiln.Text;

namespace Kiln.Thrift.Tests;

/// <summary>An indented dump of a syntax tree or model (records), for expected files.</summary>
internal static class TreeDump
{
    public static string Dump(object? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value, int indent)
    {
        switch (value)
        {
            case null:
                builder.Append("null\n");
                return;
            case string text:
                builder.Append('"').Append(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
                return;
            case TextSpan span:
                builder.Append(span.ToString()).Append('\n');
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is Enum:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture)).Append('\n');
                return;
            case bool flag:
                builder.Append(flag ? "true" : "false").Append('\n');
                return;
            case IEnumerable items:
                {
                    var list = items.Cast<object?>().ToList();
                    if (list.Count == 0)
                    {
                        builder.Append("[]\n");
                        return;
                    }

                    builder.Append('\n');
                    foreach (var item in list)
                    {
                        builder.Append(' ', indent + 2).Append("- ");
                        Write(builder, item, indent + 4);
                    }

                    return;
                }
        }

        var type = value.GetType();
        builder.Append(type.Name).Append('\n');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name is "EqualityContract" or "TrueType" || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var propertyValue = property.GetValue(value);
            if (propertyValue is null || (propertyValue is IEnumerable e and not string && !e.Cast<object?>().Any()))
            {
                continue;
            }

            builder.Append(' ', indent + 2).Append(property.Name).Append(": ");
            Write(builder, propertyValue, indent + 2);
        }
    }
}
