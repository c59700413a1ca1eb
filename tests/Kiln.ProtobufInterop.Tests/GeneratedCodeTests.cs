using System.Reflection;
using System.Text;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// The generated code itself: the C# files (embedded in each library as <c>generated/NAME.cs</c>)
/// and the public API compiled from them.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public void Both_compilers_wrote_the_same_files()
    {
        var kiln = Sources(Side.Kiln.Assembly);
        var peer = Sources(Side.Peer.Assembly);
        Assert.Equal(["Editions.cs", "Proto2.cs", "Proto3.cs", "Service.cs", "ServiceGrpc.cs"], peer.Keys);
        Assert.Equal(peer.Keys, kiln.Keys);
        var differences = peer.Keys.Where(name => kiln[name] != peer[name]).Select(name => FirstDifference(name, kiln[name], peer[name])).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Both_libraries_have_the_same_public_api()
    {
        var kiln = PublicApi(Side.Kiln.Assembly);
        var peer = PublicApi(Side.Peer.Assembly);
        Assert.True(peer.Count > 500, $"only {peer.Count} public members");
        Assert.Equal(peer, kiln);
    }

    /// <summary>The generated files embedded in <paramref name="assembly"/>, by name (sorted).</summary>
    private static SortedDictionary<string, string> Sources(Assembly assembly)
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("generated/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            sources[resource["generated/".Length..]] = reader.ReadToEnd();
        }

        return sources;
    }

    private static string FirstDifference(string name, string kiln, string peer)
    {
        var kilnLines = kiln.Split('\n');
        var peerLines = peer.Split('\n');
        for (var i = 0; i < Math.Max(kilnLines.Length, peerLines.Length); i++)
        {
            var k = i < kilnLines.Length ? kilnLines[i] : "<end of file>";
            var p = i < peerLines.Length ? peerLines[i] : "<end of file>";
            if (k != p)
            {
                return $"{name}:{i + 1}: kiln: {k.Trim()}\n{new string(' ', name.Length + i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 3)}protoc: {p.Trim()}";
            }
        }

        return $"{name}: differs in line endings only";
    }

    /// <summary>Every public or protected type and member with its signature and attributes, one line each, sorted.</summary>
    private static List<string> PublicApi(Assembly assembly)
    {
        var lines = new List<string>();
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(t => t.IsVisible))
        {
            lines.Add($"type {type.FullName} : {type.BaseType?.FullName} [{string.Join(", ", type.GetInterfaces().Select(i => i.ToString()).Order(StringComparer.Ordinal))}] {type.Attributes} {Attributes(type)}");
            foreach (var member in type.GetMembers(All))
            {
                var visible = member switch
                {
                    MethodBase method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
                    FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
                    PropertyInfo property => property.GetMethod is { } get && (get.IsPublic || get.IsFamily) || property.SetMethod is { } set && (set.IsPublic || set.IsFamily),
                    EventInfo => true,
                    Type nested => nested.IsNestedPublic || nested.IsNestedFamily,
                    _ => false,
                };
                if (visible)
                {
                    var modifiers = member switch
                    {
                        MethodBase method => $"{(method.IsStatic ? "static " : "")}{(method.IsVirtual ? "virtual " : "")}{(method.IsAbstract ? "abstract " : "")}{(method.IsFinal ? "final " : "")}",
                        FieldInfo field => $"{(field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{(field.IsLiteral ? "const " + field.GetRawConstantValue() : "")}",
                        _ => "",
                    };
                    lines.Add($"  {type.FullName} {member.MemberType} {modifiers}{member} {Attributes(member)}");
                }
            }
        }

        var name = assembly.GetName().Name!;
        lines = [.. lines.Select(line => line.Replace(name, "<generated>", StringComparison.Ordinal))];
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Attributes(MemberInfo member) =>
        string.Join(", ", member.GetCustomAttributesData().Select(a => a.ToString()).Order(StringComparer.Ordinal));
}
