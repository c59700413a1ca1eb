using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

public class SeqDiagnosticTableTests
{
    [Fact]
    public void Codes_are_unique_in_the_language_range_and_never_collide_with_the_compiler()
    {
        var codes = SeqLanguageDiagnostics.All.Select(d => d.Code).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches(@"^KSQ1\d{3}$", c));
        Assert.All(SeqLanguageDiagnostics.All, d => Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat)));
    }
}
