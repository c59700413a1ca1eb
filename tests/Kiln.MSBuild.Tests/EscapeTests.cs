using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CsCheck;

namespace Kiln.MSBuild.Tests;

/// <summary>Paths in the results file: MSBuild's special characters %-escaped, then XML's.</summary>
public sealed class EscapeTests
{
    [Fact]
    public void MSBuilds_special_characters_are_percent_escaped_and_XMLs_entity_escaped()
    {
        Assert.Equal("a%25b%3Bc%2Ad%3Fe%40f%24g%27h&lt;i&gt;&amp;j&quot;k é 名", KilnTaskBase.Escape("a%b;c*d?e@f$g'h<i>&j\"k é 名"));
        Assert.Equal("/plain/path with spaces/x.cs", KilnTaskBase.Escape("/plain/path with spaces/x.cs"));
    }

    [Fact]
    public void Reading_the_XML_and_undoing_MSBuilds_escapes_gives_the_path_back()
    {
        Gen.String[Gen.Char["%*?;@$'<>&\"ab é/\\名"], 0, 30].Sample(path =>
        {
            var element = XElement.Parse("<P>" + KilnTaskBase.Escape(path) + "</P>", LoadOptions.PreserveWhitespace);
            Assert.Equal(path, Unescape(element.Value));
            Assert.DoesNotContain(';', element.Value);
        }, iter: 2000);
    }

    /// <summary>MSBuild's unescaping: every %XX (two hex digits) is the character XX.</summary>
    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && int.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 2;
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
