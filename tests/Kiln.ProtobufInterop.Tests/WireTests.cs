extern alias kiln;
extern alias peer;

using System.Buffers;
using CsCheck;
using Google.Protobuf;

namespace Kiln.ProtobufInterop.Tests;

/// <summary>
/// The binary format: a message built by the same statements through Kiln's and protoc's types
/// serializes to the same bytes, and each side parses the other's bytes back to an equal message.
/// </summary>
public sealed class WireTests
{
    public static TheoryData<string> SampleNames() => [.. kiln::Interop.Shared.Samples.Names];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void A_sample_serializes_to_the_same_bytes_on_both_sides(string name)
    {
        var kiln = Side.Kiln.Build(name);
        var peer = Side.Peer.Build(name);
        Assert.Equal(peer.Descriptor.FullName, kiln.Descriptor.FullName);

        var peerBytes = peer.ToByteArray();
        Assert.Equal(Side.Hex(peerBytes), Side.Hex(kiln.ToByteArray()));
        Assert.Equal(peer.CalculateSize(), kiln.CalculateSize());

        // The other writers: IBufferWriter (WriteContext) and a Stream (CodedOutputStream).
        foreach (var message in new[] { kiln, peer })
        {
            var buffer = new ArrayBufferWriter<byte>();
            message.WriteTo(buffer);
            Assert.Equal(Side.Hex(peerBytes), Side.Hex(buffer.WrittenSpan.ToArray()));
            using var stream = new MemoryStream();
            message.WriteTo(stream);
            Assert.Equal(Side.Hex(peerBytes), Side.Hex(stream.ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Each_side_parses_the_other_sides_bytes_to_an_equal_message(string name)
    {
        var kiln = Side.Kiln.Build(name);
        var peer = Side.Peer.Build(name);
        var kilnBytes = kiln.ToByteArray();
        var peerBytes = peer.ToByteArray();

        var kilnFromPeer = Side.Kiln.Parse(kiln.Descriptor, peerBytes);
        var peerFromKiln = Side.Peer.Parse(peer.Descriptor, kilnBytes);
        Assert.Equal(kiln, kilnFromPeer);
        Assert.Equal(peer, peerFromKiln);
        Assert.Equal(Side.Hex(kilnBytes), Side.Hex(peerFromKiln.ToByteArray()));
        Assert.Equal(Side.Hex(peerBytes), Side.Hex(kilnFromPeer.ToByteArray()));

        // The other readers: a sequence of small segments (ParseContext across segment borders) and a Stream.
        Assert.Equal(kiln, Side.Kiln.Parser(kiln.Descriptor).ParseFrom(Segmented(peerBytes, 7)));
        Assert.Equal(peer, Side.Peer.Parser(peer.Descriptor).ParseFrom(Segmented(kilnBytes, 3)));
        Assert.Equal(kiln, Side.Kiln.Parser(kiln.Descriptor).ParseFrom(new MemoryStream(peerBytes)));
        Assert.Equal(peer, Side.Peer.Parser(peer.Descriptor).ParseFrom(new MemoryStream(kilnBytes)));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Equality_hash_text_and_clone_agree(string name)
    {
        var kiln = Side.Kiln.Build(name);
        var peer = Side.Peer.Build(name);
        Assert.Equal(Side.Outcome(() => peer.ToString()!), Side.Outcome(() => kiln.ToString()!));
        if (!HasExtensions(name))
        {
            Assert.Equal(peer.GetHashCode(), kiln.GetHashCode());
        }

        Assert.Equal(kiln, Side.Kiln.Build(name));
        Assert.Equal(kiln.GetHashCode(), Side.Kiln.Build(name).GetHashCode());
        Assert.Equal(peer.GetHashCode(), Side.Peer.Build(name).GetHashCode());
        Assert.False(kiln.Equals(peer), "messages of the two sides are different types");

        IMessage kilnClone = ((dynamic)kiln).Clone();
        IMessage peerClone = ((dynamic)peer).Clone();
        Assert.Equal(kiln, kilnClone);
        Assert.Equal(peer, peerClone);
        Assert.Equal(Side.Hex(peerClone.ToByteArray()), Side.Hex(kilnClone.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Merging_the_bytes_twice_merges_alike(string name)
    {
        var bytes = Side.Peer.Build(name).ToByteArray();
        var twice = bytes.Concat(bytes).ToArray();
        var kiln = Side.Kiln.Parse(Side.Kiln.Build(name).Descriptor, twice);
        var peer = Side.Peer.Parse(Side.Peer.Build(name).Descriptor, twice);
        Assert.Equal(Side.Hex(peer.ToByteArray()), Side.Hex(kiln.ToByteArray()));

        var kilnMerged = Side.Kiln.Build(name);
        kilnMerged.MergeFrom(Side.Kiln.Build(name).ToByteArray());
        var peerMerged = Side.Peer.Build(name);
        peerMerged.MergeFrom(bytes);
        Assert.Equal(Side.Hex(peerMerged.ToByteArray()), Side.Hex(kilnMerged.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void A_message_that_knows_no_field_keeps_every_field_as_unknown(string name)
    {
        var bytes = Side.Peer.Build(name).ToByteArray();
        var kiln = kiln::Interop.Proto3.EmptyMessage.Parser.ParseFrom(bytes);
        var peer = peer::Interop.Proto3.EmptyMessage.Parser.ParseFrom(bytes);
        Assert.Equal(Side.Hex(bytes), Side.Hex(kiln.ToByteArray()));
        Assert.Equal(Side.Hex(bytes), Side.Hex(peer.ToByteArray()));
        Assert.Equal(peer.ToString(), kiln.ToString());

        // Unknown fields survive a trip through the other side's full type.
        var back = Side.Kiln.Parse(Side.Kiln.Build(name).Descriptor, peer.ToByteArray());
        Assert.Equal(Side.Hex(bytes), Side.Hex(back.ToByteArray()));

        Assert.Empty(kiln::Interop.Proto3.EmptyMessage.Parser.WithDiscardUnknownFields(true).ParseFrom(bytes).ToByteArray());
        Assert.Empty(peer::Interop.Proto3.EmptyMessage.Parser.WithDiscardUnknownFields(true).ParseFrom(bytes).ToByteArray());
    }

    /// <summary>
    /// A message's hash mixes in its extension set's, which starts from <c>typeof(TTarget).GetHashCode()</c>:
    /// the two sides' types differ, so their hashes do too (the runtime's doing, not the generated code's).
    /// </summary>
    private static bool HasExtensions(string name) => name is "proto2/full" or "editions/full";

    public static TheoryData<string> RandomKinds() => [.. kiln::Interop.Shared.RandomSamples.Kinds];

    [Theory]
    [MemberData(nameof(RandomKinds))]
    public void Random_messages_serialize_alike_and_cross_parse(string kind)
    {
        Gen.Int.Sample(seed =>
        {
            var kiln = Side.Kiln.Random(kind, seed);
            var peer = Side.Peer.Random(kind, seed);
            var kilnBytes = kiln.ToByteArray();
            var peerBytes = peer.ToByteArray();
            Assert.Equal(Side.Hex(peerBytes), Side.Hex(kilnBytes));
            Assert.Equal(peer.ToString(), kiln.ToString());
            if (kind == "proto3")
            {
                Assert.Equal(peer.GetHashCode(), kiln.GetHashCode());
            }

            // Compared after a parse on both hands: a -0.0 in a field without presence is not
            // serialized, so it comes back +0.0, which Equals tells apart (on either side alike).
            var kilnOwn = Side.Kiln.Parse(kiln.Descriptor, kilnBytes);
            var kilnFromPeer = Side.Kiln.Parse(kiln.Descriptor, peerBytes);
            var peerOwn = Side.Peer.Parse(peer.Descriptor, peerBytes);
            var peerFromKiln = Side.Peer.Parse(peer.Descriptor, kilnBytes);
            Assert.Equal(kilnOwn, kilnFromPeer);
            Assert.Equal(peerOwn, peerFromKiln);
            Assert.Equal(Side.Hex(peerBytes), Side.Hex(kilnFromPeer.ToByteArray()));
            Assert.Equal(Side.Hex(kilnBytes), Side.Hex(peerFromKiln.ToByteArray()));
        }, iter: 150);
    }

    /// <summary>Damaged bytes (a byte changed, inserted, removed, or the end cut off): both parsers accept them alike, or fail alike.</summary>
    [Theory]
    [MemberData(nameof(RandomKinds))]
    public void Damaged_bytes_parse_or_fail_alike(string kind)
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var bytes = Side.Peer.Random(kind, seed).ToByteArray().ToList();
            var descriptor = Side.Peer.Random(kind, 0).Descriptor;
            for (var damage = random.Next(1, 4); damage > 0 && bytes.Count > 0; damage--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                    case 2: bytes.RemoveAt(at); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }

            var damaged = bytes.ToArray();
            var kiln = Side.Outcome(() => Side.Hex(Side.Kiln.Parse(descriptor, damaged).ToByteArray()));
            var peer = Side.Outcome(() => Side.Hex(Side.Peer.Parse(descriptor, damaged).ToByteArray()));
            Assert.Equal(peer, kiln);
        }, iter: 300);
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var memory = bytes.AsMemory(at, Math.Min(size, bytes.Length - at));
            last = last == null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
