using System.Collections;
using System.Reflection;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
using ThriftConfiguration = Thrift.TConfiguration;

namespace Kiln.CSharp.Tests;

/// <summary>Builds a deterministic value of any generated type by reflection, and moves values through protocols.</summary>
internal static class SampleValues
{
    public static readonly (string Name, Func<TTransport, TProtocol> Create)[] Protocols =
    [
        ("binary", transport => new TBinaryProtocol(transport)),
        ("compact", transport => new TCompactProtocol(transport)),
        ("json", transport => new TJsonProtocol(transport)),
    ];

    public static Func<TTransport, TProtocol> Protocol(string name) => Protocols.Single(protocol => protocol.Name == name).Create;

    /// <summary>Generated data types of an assembly: structs, exceptions and unions (abstract union classes included).</summary>
    public static IEnumerable<Type> DataTypes(Assembly assembly, string ns) => assembly.GetTypes()
        .Where(type => type.Namespace == ns && !type.IsNested && (typeof(TBase).IsAssignableFrom(type) || typeof(TUnionBase).IsAssignableFrom(type)))
        .OrderBy(type => type.FullName, StringComparer.Ordinal);

    public static object? Create(Type type, int depth = 0)
    {
        if (type == typeof(bool)) return true;
        if (type == typeof(sbyte)) return (sbyte)-5;
        if (type == typeof(short)) return (short)300;
        if (type == typeof(int)) return 70000 + depth;
        if (type == typeof(long)) return (1L << 40) + 7;
        if (type == typeof(double)) return 2.5;
        if (type == typeof(string)) return "h\u00e9llo \u2713 \"q\" \\";
        if (type == typeof(byte[])) return new byte[] { 1, 2, 255, 0 };
        if (type == typeof(Guid)) return new Guid("00112233-4455-6677-8899-aabbccddeeff");
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.Length == 0 ? Activator.CreateInstance(type) : values.GetValue(values.Length - 1);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            var collection = Activator.CreateInstance(type)!;
            if (definition == typeof(Dictionary<,>))
            {
                var key = Create(arguments[0], depth + 1);
                var value = Create(arguments[1], depth + 1);
                if (key is not null && value is not null)
                {
                    ((IDictionary)collection)[key] = value;
                }
            }
            else
            {
                var element = Create(arguments[0], depth + 1);
                if (element is not null)
                {
                    type.GetMethod("Add")!.Invoke(collection, [element]);
                }
            }

            return collection;
        }

        if (depth > 4)
        {
            // Recursive types stop here: a null struct is left out, an empty collection is kept.
            return null;
        }

        if (type.IsAbstract)
        {
            // A union with the union option: the first member whose value can be made.
            foreach (var member in type.GetNestedTypes().Where(nested => nested.IsSubclassOf(type) && nested.Name != "___undefined"))
            {
                var constructor = member.GetConstructors().Single();
                var value = Create(constructor.GetParameters()[0].ParameterType, depth + 1);
                if (value is not null)
                {
                    return constructor.Invoke([value]);
                }
            }

            return null;
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.CanWrite))
        {
            var value = Create(property.PropertyType, depth + 1);
            if (value is not null)
            {
                property.SetValue(instance, value);
            }
        }

        return instance;
    }

    public static async Task<byte[]> WriteAsync(object value, Func<TTransport, TProtocol> protocol)
    {
        using var transport = new TMemoryBufferTransport(new ThriftConfiguration());
        var output = protocol(transport);
        var task = value switch
        {
            TBase structure => structure.WriteAsync(output, TestContext.Current.CancellationToken),
            TUnionBase union => union.WriteAsync(output, TestContext.Current.CancellationToken),
            _ => throw new ArgumentException("not a generated type", nameof(value)),
        };
        await task;
        await transport.FlushAsync(TestContext.Current.CancellationToken);
        return transport.GetBuffer();
    }

    public static async Task<object> ReadAsync(Type type, byte[] bytes, Func<TTransport, TProtocol> protocol)
    {
        using var transport = new TMemoryBufferTransport(bytes, new ThriftConfiguration());
        var input = protocol(transport);
        if (type.IsAbstract)
        {
            var read = type.GetMethod("ReadAsync", BindingFlags.Public | BindingFlags.Static)!;
            var task = (Task)read.Invoke(null, [input, TestContext.Current.CancellationToken])!;
            await task;
            return task.GetType().GetProperty("Result")!.GetValue(task)!;
        }

        var instance = (TBase)Activator.CreateInstance(type)!;
        await instance.ReadAsync(input, TestContext.Current.CancellationToken);
        return instance;
    }
}
