using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>
/// Writes <c>{program}Extensions</c>: <c>Equals</c>, <c>GetHashCode</c> and <c>DeepCopy</c> extension
/// methods for every container type the file's structs and services use, inner ones included.
/// </summary>
internal static class ExtensionsWriter
{
    /// <summary>The container types to cover, by C# name in ordinal order (see <see cref="NetstdQuirks.ExtensionsCoverConstants"/>).</summary>
    public static SortedDictionary<string, ThriftType> CollectContainers(NetstdEmitContext context)
    {
        var found = new SortedDictionary<string, ThriftType>(StringComparer.Ordinal);
        var stack = new Stack<ThriftType>();
        foreach (var model in context.File.Structs)
        {
            foreach (var field in model.Fields)
            {
                stack.Push(field.Type);
            }
        }

        foreach (var service in context.File.Services)
        {
            foreach (var function in service.Functions)
            {
                if (function.ReturnType is { } type)
                {
                    stack.Push(type);
                }

                foreach (var parameter in function.Parameters)
                {
                    stack.Push(parameter.Type);
                }
            }
        }

        while (stack.Count > 0)
        {
            var type = stack.Pop().TrueType;
            switch (type)
            {
                case ListType list:
                    found.TryAdd(context.Types.Name(type), type);
                    stack.Push(list.Element);
                    break;
                case SetType set:
                    found.TryAdd(context.Types.Name(type), type);
                    stack.Push(set.Element);
                    break;
                case MapType map:
                    found.TryAdd(context.Types.Name(type), type);
                    stack.Push(map.Key);
                    stack.Push(map.Value);
                    break;
            }
        }

        return found;
    }

    public static void Write(NetstdEmitContext context, CodeWriter w, string className, SortedDictionary<string, ThriftType> containers)
    {
        using (w.Block($"public static class {className}"))
        {
            var first = true;
            foreach (var (name, type) in containers)
            {
                if (!first)
                {
                    w.Line();
                    w.Line();
                }

                first = false;
                using (w.Block($"public static bool Equals(this {name} instance, object that)"))
                {
                    w.Line(NullableCode.IsNot(context.Options, "that", name, "other"));
                    w.Line("if (ReferenceEquals(instance, other)) return true;");
                    w.Line();
                    w.Line("return TCollections.Equals(instance, other);");
                }

                w.Line();
                w.Line();
                using (w.Block($"public static int GetHashCode(this {name} instance)"))
                {
                    w.Line("return TCollections.GetHashCode(instance);");
                }

                if (context.Options.NoDeepCopy)
                {
                    continue;
                }

                w.Line();
                w.Line();
                var nullable = context.Options.Net6 ? name + "?" : name;
                using (w.Block($"public static {nullable} DeepCopy(this {nullable} source)"))
                {
                    w.Line("if (source == null)");
                    w.Line("  return null;");
                    w.Line();
                    var copy = context.Temps.Next();
                    w.Line($"var {copy} = new {name}(source.Count);");
                    if (type is MapType map)
                    {
                        w.Line("foreach (var pair in source)");
                        w.Line($"  {copy}.Add({context.Wire.ElementCopy(map.Key, "pair.Key")}, {context.Wire.ElementCopy(map.Value, "pair.Value")});");
                    }
                    else
                    {
                        var element = type is ListType list ? list.Element : ((SetType)type).Element;
                        w.Line("foreach (var elem in source)");
                        w.Line($"  {copy}.Add({context.Wire.ElementCopy(element, "elem")});");
                    }

                    w.Line($"return {copy};");
                }
            }
        }
    }
}
