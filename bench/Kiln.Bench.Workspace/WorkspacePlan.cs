using System.Globalization;

namespace Kiln.Bench.Workspace;

internal enum Lang
{
    Proto,
    Thrift,
}

/// <summary>One generated file: where it lies, what it imports and what it declares.</summary>
internal sealed class FilePlan
{
    public required int Index { get; init; }

    /// <summary>0 for the shared "common" hub files; 1..Layers for the layered files.</summary>
    public required int Layer { get; init; }

    /// <summary>Folder relative to the IDL root, with '/' separators.</summary>
    public required string Folder { get; init; }

    public required string Stem { get; init; }

    /// <summary>Protobuf package (lower case, dotted) or the Thrift netstd namespace.</summary>
    public required string Package { get; init; }

    public required bool Proto2 { get; init; }

    public required int TargetLines { get; init; }

    public List<FilePlan> Imports { get; } = [];

    /// <summary>Top-level messages (Protobuf) or structs, unions and exceptions (Thrift), in order.</summary>
    public List<string> Messages { get; } = [];

    /// <summary>For Thrift: what each entry of <see cref="Messages"/> is ("struct", "union", "exception").</summary>
    public List<string> Kinds { get; } = [];

    public List<string> Enums { get; } = [];

    public string? Service { get; set; }

    public string Noun { get; init; } = "";

    public string RelativePath(string extension) => $"{Folder}/{Stem}.{extension}";

    /// <summary>The longest import chain that starts here, in edges.</summary>
    public int Depth { get; set; } = -1;

    public IEnumerable<string> Structs() => Messages.Where((_, i) => Kinds.Count == 0 || Kinds[i] == "struct");
}

/// <summary>
/// The shape of a synthetic workspace: files in layers, each importing the layer below (so the
/// longest import chain is <see cref="Layers"/> long), a few lower layers and some of the
/// "common" hub files, which nearly every file imports. Everything is drawn from one seeded
/// <see cref="Random"/> in a fixed order, so a seed always gives the same plan.
/// </summary>
internal sealed class WorkspacePlan
{
    public const int Layers = 24;
    public const int MeanLinesPerFile = 450;

    public required Lang Lang { get; init; }

    public required int Seed { get; init; }

    public List<FilePlan> Files { get; } = [];

    public int HubCount { get; private set; }

    public static WorkspacePlan Create(Lang lang, int lines, int seed)
    {
        var plan = new WorkspacePlan { Lang = lang, Seed = seed };
        var random = new Random(seed);
        var fileCount = Math.Max(Layers + 4, (int)Math.Round(lines / (double)MeanLinesPerFile));
        var hubs = Math.Clamp(fileCount / 40, 4, 64);
        plan.HubCount = hubs;
        var layered = fileCount - hubs;
        var width = Math.Max(4, fileCount.ToString(CultureInfo.InvariantCulture).Length);
        var byLayer = new List<List<FilePlan>>();

        var common = new List<FilePlan>();
        for (var i = 0; i < hubs; i++)
        {
            var kind = Words.HubKinds[i % Words.HubKinds.Length];
            common.Add(new FilePlan
            {
                Index = i,
                Layer = 0,
                Folder = $"common/{kind}",
                Stem = $"c{i.ToString("D" + width, CultureInfo.InvariantCulture)}_{kind}",
                Package = $"bench.common.{kind}",
                Proto2 = false,
                TargetLines = random.Next(300, 601),
                Noun = Words.Nouns[random.Next(Words.Nouns.Length)],
            });
        }

        byLayer.Add(common);
        var index = hubs;
        for (var layer = 1; layer <= Layers; layer++)
        {
            var count = layered / Layers + (layer <= layered % Layers ? 1 : 0);
            var files = new List<FilePlan>();
            for (var i = 0; i < count; i++)
            {
                var area = Words.Areas[random.Next(Words.Areas.Length)];
                var version = random.Next(4) == 0 ? "v2" : "v1";
                var noun = Words.Nouns[random.Next(Words.Nouns.Length)];
                files.Add(new FilePlan
                {
                    Index = index,
                    Layer = layer,
                    Folder = $"{area}/{version}/l{layer:D2}",
                    Stem = $"f{index.ToString("D" + width, CultureInfo.InvariantCulture)}_{noun.ToLowerInvariant()}",
                    Package = $"bench.{area}.{version}.l{layer:D2}",
                    Proto2 = lang == Lang.Proto && random.Next(8) == 0,
                    TargetLines = random.Next(300, 601),
                    Noun = noun,
                });
                index++;
            }

            byLayer.Add(files);
        }

        // Imports. Protobuf links each file once, so files may import many lower layers; thrift
        // 0.17 parses an included file once per include path, so the Thrift graph keeps the
        // number of paths small (one file of the layer below, hubs, now and then one more).
        for (var i = 1; i < hubs; i++)
        {
            var hub = common[i];
            if (lang == Lang.Thrift)
            {
                hub.Imports.Add(common[0]);
                continue;
            }

            var picks = random.Next(0, 3);
            for (var k = 0; k < picks; k++)
            {
                AddImport(hub, common[random.Next(i)]);
            }
        }

        for (var layer = 1; layer <= Layers; layer++)
        {
            foreach (var file in byLayer[layer])
            {
                var below = byLayer[layer - 1];
                AddImport(file, below[random.Next(below.Count)]);
                var extra = lang == Lang.Proto ? random.Next(1, 4) : (random.Next(6) == 0 ? 1 : 0);
                for (var k = 0; k < extra && layer > 2; k++)
                {
                    var lower = byLayer[random.Next(1, layer - 1)];
                    AddImport(file, lower[random.Next(lower.Count)]);
                }

                // Hubs: the first one is imported by about half of all files (a wide fan-in).
                AddImport(file, random.Next(2) == 0 ? common[0] : common[random.Next(hubs)]);
                if (random.Next(2) == 0)
                {
                    AddImport(file, common[random.Next(hubs)]);
                }
            }
        }

        foreach (var files in byLayer)
        {
            plan.Files.AddRange(files);
        }

        foreach (var file in plan.Files)
        {
            PlanSymbols(lang, seed, file);
        }

        foreach (var file in plan.Files)
        {
            ComputeDepth(file);
        }

        return plan;
    }

    private static void AddImport(FilePlan file, FilePlan target)
    {
        if (!file.Imports.Contains(target))
        {
            file.Imports.Add(target);
        }
    }

    private static int ComputeDepth(FilePlan file)
    {
        if (file.Depth < 0)
        {
            file.Depth = file.Imports.Count == 0 ? 0 : 1 + file.Imports.Max(ComputeDepth);
        }

        return file.Depth;
    }

    /// <summary>A seed for everything drawn about one file, independent of the others.</summary>
    public static int FileSeed(int seed, int index, int salt) => HashCode32(seed, index, salt);

    private static int HashCode32(int a, int b, int c)
    {
        // A fixed mix (HashCode.Combine is randomized per process).
        unchecked
        {
            var h = (uint)a * 0x9E3779B1u;
            h ^= (uint)b + 0x7F4A7C15u + (h << 6) + (h >> 2);
            h *= 0x85EBCA6Bu;
            h ^= (uint)c + 0x165667B1u + (h << 6) + (h >> 2);
            h ^= h >> 16;
            h *= 0xC2B2AE35u;
            h ^= h >> 13;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    private static void PlanSymbols(Lang lang, int seed, FilePlan file)
    {
        var random = new Random(FileSeed(seed, file.Index, 1));
        var number = file.Index.ToString(CultureInfo.InvariantCulture);
        var messageCount = Math.Max(3, file.TargetLines / (lang == Lang.Proto ? 32 : 24));
        var used = new HashSet<string>(StringComparer.Ordinal);
        // The file's own noun first, so its first message is named after the file.
        var nouns = new List<string> { file.Noun };
        while (file.Messages.Count < messageCount)
        {
            var noun = file.Messages.Count == 0 ? file.Noun : (random.Next(3) == 0 ? Words.Nouns[random.Next(Words.Nouns.Length)] : nouns[random.Next(nouns.Count)]);
            var name = noun + Words.MessageSuffixes[random.Next(Words.MessageSuffixes.Length)] + number;
            if (used.Add(name))
            {
                file.Messages.Add(name);
                nouns.Add(noun);
                if (lang == Lang.Thrift)
                {
                    // The first message is always a struct: edits and other files refer to it.
                    var roll = file.Messages.Count == 1 ? 99 : random.Next(100);
                    file.Kinds.Add(roll < 10 ? "union" : roll < 18 ? "exception" : "struct");
                }
            }
        }

        var enums = file.TargetLines > 450 ? 2 : 1;
        while (file.Enums.Count < enums)
        {
            var name = nouns[random.Next(nouns.Count)] + Words.EnumSuffixes[random.Next(Words.EnumSuffixes.Length)] + number;
            if (used.Add(name))
            {
                file.Enums.Add(name);
            }
        }

        if (file.Layer > 0 && random.Next(4) != 0)
        {
            file.Service = file.Noun + "Service" + number;
        }
    }
}
