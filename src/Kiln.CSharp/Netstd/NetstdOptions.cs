using System.Collections.Immutable;
using Kiln.Text;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// The options of thrift 0.17's netstd generator (<c>thrift --gen netstd:wcf,union</c>), as
/// <c>thrift --help</c> lists them. A value after <c>=</c> is accepted and ignored, as thrift does.
/// </summary>
public sealed record NetstdOptions
{
    /// <summary>The option names thrift 0.17 accepts, in <c>thrift --help</c> order.</summary>
    public static ImmutableArray<string> ValidNames { get; } = ["wcf", "serial", "union", "pascal", "net6", "no_deepcopy", "async_postfix"];

    public static NetstdOptions Default { get; } = new();

    /// <summary>
    /// <c>wcf</c>: everything <see cref="Serial"/> adds, plus <c>[ServiceContract]</c>, <c>[OperationContract]</c> and
    /// <c>[FaultContract(typeof(XFault))]</c> on a service's <c>IAsync</c> (needs <c>System.ServiceModel.Primitives</c>).
    /// </summary>
    public bool Wcf { get; init; }

    /// <summary><c>serial</c>: <c>[DataContract]</c>/<c>[DataMember]</c>, <c>ShouldSerialize*</c> methods and <c>{Exception}Fault</c> classes.</summary>
    public bool Serial { get; init; }

    /// <summary><c>union</c>: unions as an abstract class with one subclass per member and a static reader.</summary>
    public bool Union { get; init; }

    /// <summary><c>pascal</c>: Pascal-case property names (<c>string_thing</c> → <c>StringThing</c>).</summary>
    public bool Pascal { get; init; }

    /// <summary><c>net6</c>: <c>#nullable enable</c>, <c>T?</c> where a value may be absent, initializers on required fields, C# 9 patterns.</summary>
    public bool Net6 { get; init; }

    /// <summary>
    /// <c>serial</c> or <c>wcf</c>: <c>[DataContract]</c>/<c>[DataMember]</c> on structs, <c>ShouldSerialize*</c>
    /// methods, and a <c>{Exception}Fault</c> data class beside each exception.
    /// </summary>
    public bool DataContracts => Serial || Wcf;

    /// <summary><c>no_deepcopy</c>: no <c>DeepCopy()</c> methods.</summary>
    public bool NoDeepCopy { get; init; }

    /// <summary><c>async_postfix</c>: service methods end in <c>Async</c>.</summary>
    public bool AsyncPostfix { get; init; }

    /// <summary>
    /// Parses what follows <c>--gen</c>: <c>netstd</c>, <c>netstd:opt1,opt2</c>, or just <c>opt1,opt2</c>.
    /// Every unknown option is an error (thrift stops at the first one); the options returned
    /// hold the known ones.
    /// </summary>
    public static NetstdOptions Parse(string? text, out ImmutableArray<Diagnostic> diagnostics)
    {
        var found = ImmutableArray.CreateBuilder<Diagnostic>();
        var options = new NetstdOptions();
        text ??= "";
        if (text == "netstd")
        {
            text = "";
        }
        else if (text.StartsWith("netstd:", StringComparison.Ordinal))
        {
            text = text["netstd:".Length..];
        }

        foreach (var raw in text.Split(','))
        {
            var item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? item[..equals] : item;
            options = name switch
            {
                "wcf" => options with { Wcf = true },
                "serial" => options with { Serial = true },
                "union" => options with { Union = true },
                "pascal" => options with { Pascal = true },
                "net6" => options with { Net6 = true },
                "no_deepcopy" => options with { NoDeepCopy = true },
                "async_postfix" => options with { AsyncPostfix = true },
                _ => Unknown(options, name),
            };
        }

        diagnostics = found.ToImmutable();
        return options;

        NetstdOptions Unknown(NetstdOptions current, string name)
        {
            found.Add(CSharpDiagnostics.UnknownNetstdOption.ForFile("", name, string.Join(", ", ValidNames)));
            return current;
        }
    }

    /// <summary>The option string thrift would take for these options, in <see cref="ValidNames"/> order.</summary>
    public override string ToString()
    {
        var names = new List<string>();
        if (Wcf) names.Add("wcf");
        if (Serial) names.Add("serial");
        if (Union) names.Add("union");
        if (Pascal) names.Add("pascal");
        if (Net6) names.Add("net6");
        if (NoDeepCopy) names.Add("no_deepcopy");
        if (AsyncPostfix) names.Add("async_postfix");
        return names.Count == 0 ? "netstd" : "netstd:" + string.Join(",", names);
    }
}
