using System.Text.RegularExpressions;
using Kiln.Text;

namespace Kiln.Thrift.Tests;

public class ThriftDiagnosticsTests
{
    [Fact]
    public void Every_code_is_unique_and_well_formed()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in ThriftDiagnostics.All)
        {
            Assert.Matches("^KTH[0-9]{4}$", descriptor.Code);
            Assert.True(codes.Add(descriptor.Code), $"{descriptor.Code} is used twice");
        }
    }

    [Fact]
    public void The_table_lists_every_descriptor_declared_in_the_class()
    {
        var declared = typeof(ThriftDiagnostics).GetFields()
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToHashSet();
        Assert.Equal(declared.Count, ThriftDiagnostics.All.Count);
        Assert.True(declared.SetEquals(ThriftDiagnostics.All));
    }

    [Fact]
    public void Every_message_formats_without_leftover_placeholders()
    {
        foreach (var descriptor in ThriftDiagnostics.All)
        {
            var holes = Regex.Matches(descriptor.MessageFormat, @"\{(\d+)\}").Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var count = holes.Count == 0 ? 0 : holes.Max() + 1;
            var args = Enumerable.Range(0, count).Select(i => (object?)$"arg{i}").ToArray();
            var message = descriptor.Format(args);
            Assert.DoesNotMatch(@"\{\d+\}", message);
            Assert.False(string.IsNullOrWhiteSpace(message));
            for (var i = 0; i < count; i++)
            {
                Assert.Contains($"arg{i}", message, StringComparison.Ordinal);
            }
        }
    }
}
