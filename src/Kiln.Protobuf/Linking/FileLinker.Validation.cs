using Google.Protobuf.Reflection;
using Kiln.Protobuf.Syntax;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using JsonFormat = Google.Protobuf.Reflection.FeatureSet.Types.JsonFormat;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;

namespace Kiln.Protobuf.Linking;

internal sealed partial class FileLinker
{
    private const int MaxFieldNumber = 536870911;

    private void Validate()
    {
        var package = _out.Package ?? "";
        // The json_format feature: proto2 files are LEGACY_BEST_EFFORT, proto3 and editions ALLOW unless set.
        var jsonFormat = _out.Options?.Features is { HasJsonFormat: true } fileFeatures ? fileFeatures.JsonFormat
            : _out.Syntax is "proto3" or "editions" ? JsonFormat.Allow : JsonFormat.LegacyBestEffort;
        for (var i = 0; i < _out.MessageType.Count; i++)
        {
            ValidateMessage(_parsed.Proto.MessageType[i], _out.MessageType[i], package, jsonFormat);
        }

        for (var i = 0; i < _out.EnumType.Count; i++)
        {
            ValidateEnum(_parsed.Proto.EnumType[i], _out.EnumType[i], package);
        }
    }

    private void ValidateMessage(DescriptorProto parsed, DescriptorProto message, string scope, JsonFormat jsonFormat)
    {
        var full = Join(scope, message.Name);
        if (message.Options?.Features is { HasJsonFormat: true } features)
        {
            jsonFormat = features.JsonFormat;
        }

#pragma warning disable CS0612 // protoc still honours the deprecated option, so Kiln reads it
        var legacyJsonConflicts = message.Options is { DeprecatedLegacyJsonFieldConflicts: true };
#pragma warning restore CS0612
        if (!legacyJsonConflicts)
        {
            // protoc checks with and without custom json_name (field masks use the default names).
            CheckJsonNames(parsed, jsonFormat, useCustomNames: false);
            CheckJsonNames(parsed, jsonFormat, useCustomNames: true);
        }

        var numbers = new Dictionary<int, string>();
        for (var i = 0; i < message.Field.Count; i++)
        {
            var f = message.Field[i];
            var pf = parsed.Field[i];
            if (f.Number <= 0)
            {
                AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict, "Field numbers must be positive integers.");
            }
            else if (f.Number > MaxFieldNumber)
            {
                AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict, $"Field numbers cannot be greater than {MaxFieldNumber}.");
            }
            else if (f.Number is >= 19000 and <= 19999)
            {
                AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict,
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.");
            }

            if (numbers.TryGetValue(f.Number, out var other))
            {
                AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict, $"Field number {f.Number} has already been used in \"{full}\" by field \"{other}\".");
            }
            else
            {
                numbers[f.Number] = f.Name;
            }

            foreach (var r in message.ReservedRange)
            {
                if (f.Number >= r.Start && f.Number < r.End)
                {
                    AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict, $"Field \"{f.Name}\" uses reserved number {f.Number}.");
                }
            }

            foreach (var name in message.ReservedName)
            {
                if (name == f.Name)
                {
                    AddError(pf, ErrorLocation.Name, ProtobufDiagnostics.NumberConflict, $"Field name \"{f.Name}\" is reserved.");
                }
            }

            foreach (var r in message.ExtensionRange)
            {
                if (f.Number >= r.Start && f.Number < r.End)
                {
                    AddError(pf, ErrorLocation.Number, ProtobufDiagnostics.NumberConflict,
                        $"Extension range {r.Start} to {r.End - 1} includes field \"{f.Name}\" ({f.Number}).");
                }
            }

            if (_out.Syntax == "proto3")
            {
                if (f.Label == Label.Required)
                {
                    AddError(pf, ErrorLocation.Type, ProtobufDiagnostics.ValidationError, "Required fields are not allowed in proto3.");
                }

                if (pf.HasDefaultValue)
                {
                    AddError(pf, ErrorLocation.DefaultValue, ProtobufDiagnostics.ValidationError, "Explicit default values are not allowed in proto3.");
                }
            }
        }

        for (var i = 0; i < message.NestedType.Count; i++)
        {
            ValidateMessage(parsed.NestedType[i], message.NestedType[i], full, jsonFormat);
        }

        for (var i = 0; i < message.EnumType.Count; i++)
        {
            ValidateEnum(parsed.EnumType[i], message.EnumType[i], full);
        }
    }

    /// <summary>protoc's <c>CheckFieldJsonNameUniqueness</c>: two fields of a message may not have the same JSON name.</summary>
    private void CheckJsonNames(DescriptorProto parsed, JsonFormat jsonFormat, bool useCustomNames)
    {
        // Two collections of classes, not a dictionary of (field, custom) tuples: the framework's
        // dictionary over a tuple is compiled by the JIT in every new process (an MSBuild build's).
        var byName = new Dictionary<string, FieldDescriptorProto>(StringComparer.Ordinal);
        var custom = new HashSet<FieldDescriptorProto>(ReferenceEqualityComparer.Instance);
        foreach (var field in parsed.Field)
        {
            var defaultName = ToJsonName(field.Name);
            var isCustom = useCustomNames && field.HasJsonName && field.JsonName != defaultName;
            var name = isCustom ? field.JsonName : defaultName;
            if (isCustom && name.Length > 0 && name[0] == '[' && name[^1] == ']')
            {
                AddError(field, ErrorLocation.Name, ProtobufDiagnostics.ValidationError,
                    $"The custom JSON name of field \"{field.Name}\" (\"{name}\") is invalid: JSON names may not start with '[' and end with ']'.");
                continue;
            }

            if (byName.TryAdd(name, field))
            {
                if (isCustom)
                {
                    custom.Add(field);
                }

                continue;
            }

            var match = byName[name];
            var matchIsCustom = custom.Contains(match);
            if (useCustomNames && !isCustom && !matchIsCustom)
            {
                continue; // reported by the pass without custom names
            }

            var message = $"The {(isCustom ? "custom" : "default")} JSON name of field \"{field.Name}\" (\"{name}\") conflicts with the " +
                          $"{(matchIsCustom ? "custom" : "default")} JSON name of field \"{match.Name}\".";
            if (jsonFormat == JsonFormat.LegacyBestEffort && (!isCustom || !matchIsCustom))
            {
                AddWarning(field, ErrorLocation.Name, message);
            }
            else
            {
                AddError(field, ErrorLocation.Name, ProtobufDiagnostics.ValidationError, message);
            }
        }
    }

    private void ValidateEnum(EnumDescriptorProto parsed, EnumDescriptorProto e, string scope)
    {
        if (e.Value.Count == 0)
        {
            AddError(parsed, ErrorLocation.Name, ProtobufDiagnostics.ValidationError, $"Enums must contain at least one value.");
            return;
        }

        if (_out.Syntax == "proto3" && e.Value[0].Number != 0)
        {
            AddError(parsed.Value[0], ErrorLocation.Number, ProtobufDiagnostics.ValidationError, "The first enum value must be zero for open enums.");
        }

        var allowAlias = e.Options is { AllowAlias: true };
        if (!allowAlias)
        {
            var used = new Dictionary<int, string>();
            for (var i = 0; i < e.Value.Count; i++)
            {
                var v = e.Value[i];
                if (used.TryGetValue(v.Number, out var other))
                {
                    AddError(parsed.Value[i], ErrorLocation.Number, ProtobufDiagnostics.NumberConflict,
                        $"\"{Join(scope, v.Name)}\" uses the same enum value as \"{Join(scope, other)}\". If this is intended, set 'option allow_alias = true;' to the enum definition.");
                }
                else
                {
                    used[v.Number] = v.Name;
                }
            }
        }
    }
}
