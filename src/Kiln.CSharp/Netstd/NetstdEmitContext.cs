using Kiln.Thrift.Semantics;

namespace Kiln.CSharp.Netstd;

/// <summary>What the writers of one generated file share: the file's model, type names, options and fresh local names.</summary>
internal sealed class NetstdEmitContext
{
    private readonly Func<string, ThriftFileModel?> _modelOf;

    public NetstdEmitContext(ThriftFileModel file, Func<string, ThriftFileModel?> modelOf, NetstdOptions options)
    {
        File = file;
        _modelOf = modelOf;
        Options = options;
        Types = new NetstdTypes(file, modelOf);
        Temps = new TempNames();
        Wire = new WireCode(Types, Temps, options);
        Consts = new ConstCode(Types, Temps, StructOf, options);
    }

    public ThriftFileModel File { get; }

    public NetstdOptions Options { get; }

    public NetstdTypes Types { get; }

    public TempNames Temps { get; }

    public WireCode Wire { get; }

    public ConstCode Consts { get; }

    public ThriftFileModel? ModelOf(string path) => path == File.Path ? File : _modelOf(path);

    public StructModel? StructOf(DefinitionRef definition) => ModelOf(definition.File)?.FindStruct(definition.Name);

    public ServiceModel? ServiceOf(DefinitionRef definition) => ModelOf(definition.File)?.FindService(definition.Name);
}
