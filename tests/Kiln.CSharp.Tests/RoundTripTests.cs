using System.Reflection;
using Thrift.Protocol;
using Thrift.Transport.Client;
using ThriftConfiguration = Thrift.TConfiguration;

namespace Kiln.CSharp.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var ns in new[] { "Kiln.Test.Everything", "Kiln.Test.Kinds", "Kiln.Test.Shared", "Kiln.Test.Options", "Kiln.Test.Wcf", "Kiln.Test.Serial", "Kiln.Test.Net6", "Kiln.Test.Combined" })
        {
            foreach (var (protocol, _) in SampleValues.Protocols)
            {
                data.Add(ns, protocol);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_generated_type_reads_back_equal_to_what_it_wrote(string ns, string protocol)
    {
        var types = SampleValues.DataTypes(GeneratedAssembly.Kiln, ns).ToList();
        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            var value = SampleValues.Create(type)!;
            var bytes = await SampleValues.WriteAsync(value, SampleValues.Protocol(protocol));
            var back = await SampleValues.ReadAsync(type, bytes, SampleValues.Protocol(protocol));
            Assert.True(value.Equals(back), $"{type.Name} over {protocol}: {value} != {back}");
            Assert.Equal(value.GetHashCode(), back.GetHashCode());
            Assert.Equal(bytes, await SampleValues.WriteAsync(back, SampleValues.Protocol(protocol)));
        }
    }

    [Fact]
    public void A_container_default_or_constant_that_names_a_constant_starts_empty_as_thrift_s_does()
    {
        // thrift 0.17 leaves list<i32> numbers = C_LIST empty (NetstdQuirks.ContainerNamingAConstantStartsEmpty).
        static int Count(object? items) => ((System.Collections.IEnumerable)items!).Cast<object?>().Count();
        static object? Item(object? items, int index) => ((System.Collections.IEnumerable)items!).Cast<object?>().ElementAt(index);

        var type = GeneratedAssembly.Kiln.GetType("Kiln.Test.Everything.NamedDefaults", throwOnError: true)!;
        var value = Activator.CreateInstance(type)!;
        object? Property(string name) => type.GetProperty(name)!.GetValue(value);
        Assert.Equal(0, Count(Property("Numbers")));
        Assert.Equal(0, Count(Property("ByName")));
        Assert.Equal([0, 1], new[] { Count(Item(Property("Sets"), 0)), Count(Item(Property("Sets"), 1)) });
        Assert.Equal([7], ((System.Collections.IEnumerable)Property("Written")!).Cast<int>());
        var isset = type.GetField("__isset")!.GetValue(value)!;
        Assert.True((bool)isset.GetType().GetField("numbers")!.GetValue(isset)!);

        var constants = GeneratedAssembly.Kiln.GetType("Kiln.Test.Everything.EverythingConstants", throwOnError: true)!;
        object? Constant(string name) => constants.GetField(name)!.GetValue(null);
        Assert.Equal(3, Count(Constant("C_LIST")));
        Assert.Equal(0, Count(Constant("C_LIST_COPY")));
        Assert.Equal([0, 1], new[] { Count(Item(Constant("C_SETS"), 0)), Count(Item(Constant("C_SETS"), 1)) });
    }

    [Fact]
    public void DeepCopy_gives_an_equal_value_that_shares_no_containers()
    {
        foreach (var type in SampleValues.DataTypes(GeneratedAssembly.Kiln, "Kiln.Test.Kinds").Where(type => !type.IsAbstract))
        {
            var value = SampleValues.Create(type)!;
            var copy = type.GetMethod("DeepCopy", Type.EmptyTypes)!.Invoke(value, null)!;
            Assert.Equal(value, copy);
            Assert.NotSame(value, copy);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => !p.PropertyType.IsValueType && p.PropertyType != typeof(string)))
            {
                var original = property.GetValue(value);
                if (original is not null)
                {
                    Assert.NotSame(original, property.GetValue(copy));
                }
            }
        }
    }

    [Fact]
    public async Task A_missing_required_field_fails_the_read()
    {
        var holder = GeneratedAssembly.Kiln.GetType("Kiln.Test.Kinds.Holder", throwOnError: true)!;
        var empty = GeneratedAssembly.Kiln.GetType("Kiln.Test.Kinds.Keywords", throwOnError: true)!;
        var bytes = await SampleValues.WriteAsync(Activator.CreateInstance(empty)!, SampleValues.Protocol("binary"));
        await Assert.ThrowsAsync<TProtocolException>(() => SampleValues.ReadAsync(holder, bytes, SampleValues.Protocol("binary")));
    }

    [Fact]
    public async Task A_client_and_processor_exchange_calls_results_and_exceptions()
    {
        var assembly = GeneratedAssembly.Kiln;
        var calc = assembly.GetType("Kiln.Test.Everything.Calc", throwOnError: true)!;
        var handler = Activator.CreateInstance(assembly.GetType("Kiln.Test.Handlers.CalcHandler", throwOnError: true)!)!;
        var processor = (global::Thrift.Processor.ITAsyncProcessor)Activator.CreateInstance(calc.GetNestedType("AsyncProcessor")!, handler, null)!;

        // One request buffer and one reply buffer: the client writes a call, the processor answers it, the client reads the answer.
        async Task<object?> Call(string method, params object?[] arguments)
        {
            using var requests = new TMemoryBufferTransport(new ThriftConfiguration());
            using var replies = new TMemoryBufferTransport(new ThriftConfiguration());
            var client = Activator.CreateInstance(calc.GetNestedType("Client")!, new TBinaryProtocol(replies), new TBinaryProtocol(requests))!;
            var send = client.GetType().GetMethod("send_" + method)!;
            await (Task)send.Invoke(client, [.. arguments, TestContext.Current.CancellationToken])!;
            using var incoming = new TMemoryBufferTransport(requests.GetBuffer(), new ThriftConfiguration());
            Assert.True(await processor.ProcessAsync(new TBinaryProtocol(incoming), new TBinaryProtocol(replies), TestContext.Current.CancellationToken));
            var receive = client.GetType().GetMethod("recv_" + method);
            if (receive is null)
            {
                return null;
            }

            using var answer = new TMemoryBufferTransport(replies.GetBuffer(), new ThriftConfiguration());
            var reader = Activator.CreateInstance(calc.GetNestedType("Client")!, new TBinaryProtocol(answer), new TBinaryProtocol(requests))!;
            var task = (Task)receive.Invoke(reader, [TestContext.Current.CancellationToken])!;
            await task;
            return task.GetType().GetProperty("Result")?.GetValue(task);
        }

        Assert.Equal(5, await Call("add", 2, 3));
        var point = await Call("make", 1, 2);
        Assert.Equal("Point(X: 1, Y: 2)", point!.ToString());
        var oops = await Assert.ThrowsAnyAsync<Exception>(() => Call("make", -1, 2));
        Assert.Equal("Oops", oops.GetType().Name);
        // The IDL field "message" hides Exception.Message with its own property, as in thrift's output.
        Assert.Equal("negative", oops.GetType().GetProperty("Message", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)!.GetValue(oops));
        // check() declares only Oops; the handler's undeclared Other reaches the client as an internal error.
        var undeclared = await Assert.ThrowsAsync<global::Thrift.TApplicationException>(() => Call("check", "x", null));
        Assert.Equal(global::Thrift.TApplicationException.ExceptionType.InternalError, undeclared.Type);
        await Call("fire", "and forget");
        Assert.Equal(["and forget"], (List<string>)handler.GetType().GetProperty("Fired")!.GetValue(handler)!);
    }
}
