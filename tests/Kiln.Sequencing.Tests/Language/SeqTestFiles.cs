using Kiln.Sequencing.Language;

namespace Kiln.Sequencing.Tests.Language;

/// <summary>Helpers: bind a text, print its diagnostics as users see them.</summary>
internal static class SeqTestFiles
{
    public static SequenceProgram Bind(string text) => SequenceLanguage.Bind("t.seq", text);

    /// <summary>Binds and asserts there is no error (warnings allowed).</summary>
    public static SequenceProgram BindClean(string text)
    {
        var program = Bind(text);
        Assert.False(program.HasErrors, string.Join("\n", program.Diagnostics));
        Assert.NotNull(program.Main);
        return program;
    }

    public static string[] Errors(string text) =>
        [.. Bind(text).Diagnostics.Where(d => d.IsError).Select(d => d.ToMSBuildFormat())];
}
