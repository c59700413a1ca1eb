namespace Kiln.MSBuild;

/// <summary>One <c>&lt;Thrift&gt;</c> item: its path and metadata.</summary>
internal sealed record ThriftItem(string ItemSpec, string Options, string OutputDir, string IncludeDirs, bool CompileOutputs);

/// <summary>The Thrift items one Kiln build compiles together: same output folder, generator options and include folders.</summary>
internal sealed record ThriftGroup(string OutputDir, string Options, IReadOnlyList<string> IncludeDirs, bool CompileOutputs)
{
    public List<string> Files { get; } = [];

    public List<ThriftItem> Items { get; } = [];

    /// <summary>Each of <see cref="Files"/> with its item (as <see cref="ProtoGroup"/> keeps them: no list search per item).</summary>
    private readonly Dictionary<string, ThriftItem> _itemOf = new(StringComparer.Ordinal);

    /// <summary>Adds an item's file, once: an item listed twice is taken once.</summary>
    public void Add(string fullPath, ThriftItem item)
    {
        if (_itemOf.TryAdd(fullPath, item))
        {
            Files.Add(fullPath);
            Items.Add(item);
        }
    }

    /// <summary>The item (as the project names it) of one of <see cref="Files"/>; "" for another file.</summary>
    public string ItemSpecOf(string fullPath) => _itemOf.TryGetValue(fullPath, out var item) ? item.ItemSpec : "";

    public string Key => string.Join('\n', "thrift", OutputDir, Options, string.Join(';', IncludeDirs), CompileOutputs);
}

/// <summary>Turns <c>&lt;Thrift&gt;</c> items into Kiln builds (<c>thrift --gen netstd:Options -I IncludeDirs -out OutputDir</c>).</summary>
internal static class ThriftPlan
{
    public static IReadOnlyList<ThriftGroup> Plan(IEnumerable<ThriftItem> items, string projectDirectory)
    {
        var groups = new Dictionary<string, ThriftGroup>(StringComparer.Ordinal);
        var result = new List<ThriftGroup>();
        foreach (var item in items)
        {
            var full = ProtobufPlan.Full(projectDirectory, item.ItemSpec);
            var options = string.Join(',', item.Options.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var includes = ProtobufPlan.Split(item.IncludeDirs).Select(d => ProtobufPlan.Full(projectDirectory, d)).Distinct(StringComparer.Ordinal).ToList();
            var outputDir = ProtobufPlan.Full(projectDirectory, item.OutputDir.Length == 0 ? projectDirectory : item.OutputDir);
            var group = new ThriftGroup(outputDir, options, includes, item.CompileOutputs);
            if (!groups.TryGetValue(group.Key, out var existing))
            {
                groups[group.Key] = existing = group;
                result.Add(group);
            }

            existing.Add(full, item);
        }

        return result;
    }
}
