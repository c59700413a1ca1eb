using System.Reflection;

namespace Kiln.ThriftInterop.Tests;

/// <summary>The public surface of an assembly as sorted one-line signatures, to diff two generators' outputs.</summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static SortedSet<string> Of(Assembly assembly)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes())
        {
            var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : "class";
            var bases = new List<string>();
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                bases.Add(Name(baseType));
            }

            bases.AddRange(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");
            if (type.IsEnum)
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    lines.Add($"{Name(type)}.{field.Name} = {Convert.ToInt64(field.GetValue(null))}");
                }

                continue;
            }

            foreach (var member in type.GetMembers(Declared))
            {
                var prefix = $"{Name(type)}::";
                switch (member)
                {
                    case ConstructorInfo constructor:
                        lines.Add($"{prefix}{(constructor.IsStatic ? "static " : "")}.ctor({Parameters(constructor)})");
                        break;
                    case MethodInfo method when !method.IsSpecialName:
                        lines.Add($"{prefix}{Modifiers(method)}{Name(method.ReturnType)} {method.Name}{(method.IsGenericMethod ? "<" + string.Join(", ", method.GetGenericArguments().Select(Name)) + ">" : "")}({Parameters(method)})");
                        break;
                    case PropertyInfo property:
                        var getter = property.GetMethod is { IsPublic: true } ? "get; " : "";
                        var setter = property.SetMethod is { IsPublic: true } ? "set; " : "";
                        lines.Add($"{prefix}{(property.GetMethod?.IsStatic == true ? "static " : "")}{Name(property.PropertyType)} {property.Name} {{ {getter}{setter}}}");
                        break;
                    case FieldInfo field:
                        var value = field.IsLiteral ? " = " + field.GetRawConstantValue() : "";
                        lines.Add($"{prefix}{(field.IsLiteral ? "const " : field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{Name(field.FieldType)} {field.Name}{value}");
                        break;
                    case EventInfo @event:
                        lines.Add($"{prefix}event {Name(@event.EventHandlerType!)} {@event.Name}");
                        break;
                }
            }
        }

        return lines;
    }

    private static string Modifiers(MethodInfo method) =>
        (method.IsStatic ? "static " : "")
        + (method.IsAbstract && !method.DeclaringType!.IsInterface ? "abstract " : "")
        + (method.IsVirtual && !method.IsAbstract && !method.IsFinal && method.GetBaseDefinition() == method ? "virtual " : "")
        + (method.GetBaseDefinition() != method ? "override " : "");

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(parameter =>
        $"{(parameter.ParameterType.IsByRef ? parameter.IsOut ? "out " : "ref " : "")}{Name(parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType)} {parameter.Name}{(parameter.HasDefaultValue ? " = " + (parameter.DefaultValue ?? "null") : "")}"));

    public static string Name(Type type)
    {
        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : (type.Namespace is { } ns ? ns + "." : "") + type.Name;
        if (type.IsGenericType)
        {
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            name = (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }
}
