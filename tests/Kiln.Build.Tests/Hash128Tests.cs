using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using Kiln.Build.Workspace;

namespace Kiln.Build.Tests;

/// <summary>
/// <see cref="Hash128"/> took UInt128's place in keys, the build state and the cache's file names:
/// each must give the bytes and text UInt128 gave, or every cache entry and state on disk is lost.
/// </summary>
public sealed class Hash128Tests
{
    private static readonly UInt128[] s_values =
    [
        UInt128.Zero,
        UInt128.One,
        new(0x0102030405060708, 0x090A0B0C0D0E0F10),
        new(0xFEDCBA9876543210, 0),
        new(0, 0xFEDCBA9876543210),
        UInt128.MaxValue,
    ];

    private static Hash128 Split(UInt128 value) => new((ulong)(value >> 64), (ulong)value);

    [Fact]
    public void Halves_are_the_upper_and_lower_64_bits()
    {
        var hash = new Hash128(0x0102030405060708, 0x090A0B0C0D0E0F10);
        Assert.Equal(0x0102030405060708UL, hash.High);
        Assert.Equal(0x090A0B0C0D0E0F10UL, hash.Low);
    }

    [Fact]
    public void Of_is_the_xxhash128_value()
    {
        var random = new Random(11);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 128, 240, 241, 4096 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Split(XxHash128.HashToUInt128(data)), Hash128.Of(data));
        }
    }

    [Fact]
    public void CurrentOf_is_the_incremental_hash_value()
    {
        var hash = new XxHash128();
        Assert.Equal(Split(hash.GetCurrentHashAsUInt128()), Hash128.CurrentOf(hash));
        var random = new Random(5);
        for (var i = 0; i < 20; i++)
        {
            var part = new byte[random.Next(0, 300)];
            random.NextBytes(part);
            hash.Append(part);
            Assert.Equal(Split(hash.GetCurrentHashAsUInt128()), Hash128.CurrentOf(hash));
        }
    }

    [Fact]
    public void Little_endian_bytes_are_UInt128s_so_cache_keys_are_unchanged()
    {
        foreach (var value in s_values)
        {
            var expected = new byte[16];
            BinaryPrimitives.WriteUInt128LittleEndian(expected, value);
            var actual = new byte[16];
            Split(value).WriteLittleEndian(actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Text_is_UInt128s_32_hex_digits_so_cache_file_names_are_unchanged()
    {
        var cache = new ArtifactCache("cache");
        foreach (var value in s_values)
        {
            var hex = value.ToString("x32", CultureInfo.InvariantCulture);
            Assert.Equal(hex, Split(value).ToString());
            Assert.Equal(Path.Combine("cache", hex[..2], hex + ".kc"), cache.PathOf(Split(value)));
        }

        Assert.Equal(new string('0', 32), Hash128.Zero.ToString());
    }

    [Fact]
    public void Equality_and_hashing_go_by_both_halves()
    {
        var a = new Hash128(1, 2);
        var same = new Hash128(1, 2);
        Assert.True(a == same);
        Assert.False(a != same);
        Assert.True(a.Equals(same));
        Assert.True(a.Equals((object)same));
        Assert.Equal(a.GetHashCode(), same.GetHashCode());

        foreach (var other in new[] { new Hash128(2, 1), new Hash128(1, 3), new Hash128(0, 2), Hash128.Zero })
        {
            Assert.True(a != other);
            Assert.False(a == other);
            Assert.False(a.Equals(other));
            Assert.False(a.Equals((object)other));
        }

        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)(UInt128)1));
        Assert.Equal(default, Hash128.Zero);
        Assert.Equal(new Hash128(0, 0), Hash128.Zero);
        Assert.Equal(Hash128.Zero, new Dictionary<string, Hash128>().GetValueOrDefault("absent"));
    }

    [Fact]
    public void Build_state_keeps_the_upper_half_first_as_UInt128_did()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-hash128-");
        try
        {
            var key128 = new UInt128(0x1112131415161718, 0x2122232425262728);
            var exports128 = new UInt128(0x3132333435363738, 0x4142434445464748);
            var key = Split(key128);
            var exports = Split(exports128);
            var state = new BuildState
            {
                Version = "v",
                Fingerprint = "f",
                Roots = [],
                Inputs = new Dictionary<string, FileStamp>(),
                Diagnostics = [],
                Outputs = [new OutputRecord("out.cs", "in.proto", 7, new FileStamp(1, 2), key)],
                ProtoGraph = [new ProtoGraphFile("in.proto", null, [], exports, 9, 1)],
            };
            var path = Path.Combine(dir.FullName, "cache.state");
            state.Save(path);

            // What the UInt128 code wrote: (ulong)(value >> 64), then (ulong)value, each little-endian.
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.AsSpan().IndexOf(UpperThenLower(key128)) >= 0);
            Assert.True(bytes.AsSpan().IndexOf(UpperThenLower(exports128)) >= 0);

            var loaded = BuildState.Load(path);
            Assert.NotNull(loaded);
            Assert.Equal(key, Assert.Single(loaded.Outputs).Key);
            Assert.Equal(exports, Assert.Single(loaded.ProtoGraph).ExportsHash);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static byte[] UpperThenLower(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(value >> 64));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)value);
        return bytes;
    }
}
