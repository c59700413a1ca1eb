using System.Reflection;
using Kiln.CSharp.Netstd;

namespace Kiln.CSharp.Tests;

/// <summary>
/// Kiln's and thrift 0.17's output for the option cases, compiled side by side: every public type and member,
/// with its nullable annotations and its <c>System.Runtime.Serialization</c> / <c>System.ServiceModel</c>
/// attributes, is the same. Known differences in thrift's output are asserted, so a thrift fix shows up.
/// </summary>
public sealed class PeerApiTests
{
    [Theory]
    [InlineData("Wcf", "netstd:wcf")]
    [InlineData("Combined", "netstd:wcf,serial,net6,union,pascal")]
    public void Kiln_and_thrift_declare_the_same_public_api(string name, string gen)
    {
        var thrift = RoslynCompiler.Compile("Thrift" + name, ThriftPeer.Generate(name, gen));
        Assert.True(thrift.Assembly is not null, "thrift's output does not compile:\n" + thrift.Describe());
        AssertSameApi(name, thrift.Assembly!);
    }

    [Fact]
    public void Thrifts_serial_output_lacks_the_using_its_attributes_need_and_otherwise_matches()
    {
        var files = ThriftPeer.Generate("Serial", "netstd:serial");
        var thrift = RoslynCompiler.Compile("ThriftSerial", files);
        Assert.Null(thrift.Assembly);
        Assert.Contains(thrift.Diagnostics, diagnostic => diagnostic.Id == "CS0246" && diagnostic.GetMessage().Contains("DataContract", StringComparison.Ordinal));

        // With the using Kiln adds (NetstdQuirks.SerialImportsDataContracts), thrift's declarations are Kiln's.
        var fixedFiles = files.Select(file => file with { Text = "using System.Runtime.Serialization;\n" + file.Text });
        var fixedThrift = RoslynCompiler.Compile("ThriftSerialFixed", fixedFiles);
        Assert.True(fixedThrift.Assembly is not null, fixedThrift.Describe());
        AssertSameApi("Serial", fixedThrift.Assembly!);
    }

    private static void AssertSameApi(string name, Assembly thrift)
    {
        var kiln = RoslynCompiler.Compile("Kiln" + name, TestCase.Load(name).GenerateAll());
        Assert.True(kiln.Assembly is not null && kiln.IsClean, kiln.Describe());
        var expected = Api(thrift);
        var actual = Api(kiln.Assembly!);
        Assert.Empty(expected.Except(actual, StringComparer.Ordinal));
        Assert.Empty(actual.Except(expected, StringComparer.Ordinal));
    }

    /// <summary>One line per public type and member: kind, name, types with <c>?</c> where annotated nullable, and contract attributes.</summary>
    private static SortedSet<string> Api(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetExportedTypes().Where(type => type.Namespace?.StartsWith("Kiln.Test", StringComparison.Ordinal) == true))
        {
            var interfaces = string.Join(",", type.GetInterfaces().Select(i => i.Name).Order(StringComparer.Ordinal));
            lines.Add($"{type.FullName} : {type.BaseType?.Name} [{interfaces}]{Contracts(type)}");
            foreach (var member in type.GetMembers(Declared))
            {
                var text = member switch
                {
                    PropertyInfo property => $"property {Type(property.PropertyType, nullability.Create(property))} {property.Name}",
                    FieldInfo field => $"field {Type(field.FieldType, nullability.Create(field))} {field.Name}",
                    MethodInfo { IsSpecialName: false } method =>
                        $"method {Type(method.ReturnType, nullability.Create(method.ReturnParameter))} {method.Name}({Parameters(method, nullability)})",
                    ConstructorInfo constructor => $"constructor ({Parameters(constructor, nullability)})",
                    _ => null,
                };
                if (text is not null)
                {
                    lines.Add($"{type.FullName}.{text}{Contracts(member)}");
                }
            }
        }

        return lines;
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(parameter => $"{Type(parameter.ParameterType, nullability.Create(parameter))} {parameter.Name}"));

    private static string Type(Type type, NullabilityInfo info) =>
        type + (!type.IsValueType && info.ReadState == NullabilityState.Nullable ? "?" : "");

    private static string Contracts(MemberInfo member) => string.Concat(member.CustomAttributes
        .Where(attribute => attribute.AttributeType.Namespace is "System.Runtime.Serialization" or "System.ServiceModel")
        .Select(attribute => $" [{attribute.AttributeType.Name}({string.Join(", ", attribute.ConstructorArguments.Select(a => a.ToString()).Concat(attribute.NamedArguments.Select(a => a.ToString())))})]")
        .Order(StringComparer.Ordinal));
}
