using System.Globalization;
using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>The opcodes of the built-in atomics (<c>on</c>, <c>off</c>); <c>atomic(...)</c> takes any other.</summary>
public static class SeqOpcodes
{
    /// <summary><c>on(ch)</c>: a TTL line goes high.</summary>
    public const ushort TtlOn = 0x0101;

    /// <summary><c>off(ch)</c>: a TTL line goes low.</summary>
    public const ushort TtlOff = 0x0100;

    /// <summary>The level an event sets, for timelines: true for <see cref="TtlOn"/>, false for <see cref="TtlOff"/>, else null.</summary>
    public static bool? TtlLevel(SequenceEvent e) => e.Opcode switch
    {
        TtlOn => true,
        TtlOff => false,
        _ => null,
    };
}

internal sealed partial class SeqBinder
{
    private static readonly string[] s_encoders = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64"];

    /// <summary>Every built-in function; a definition cannot take one of these names.</summary>
    public static readonly IReadOnlySet<string> Builtins = new HashSet<string>(
        ["wait", "on", "off", "atomic", "repeat", "serial", "parallel", "ttl", "rwg", "sync", "opaque", "channel",
         "round", "floor", "ceil", "abs", "min", "max", "cycles", "seconds", "linspace", "product", "zip", .. s_encoders],
        StringComparer.Ordinal);

    private SeqValue Call(CallSyntax call, Scope? scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Locals.TryGetValue(call.Name, out var local))
            {
                Error(SeqLanguageDiagnostics.NotCallable, call.NameSpan, call.Name, local.TypeName);
                return ErrorValue.Instance;
            }
        }

        if (_globals.TryGetValue(call.Name, out var definition))
        {
            definition.Used = true;
            if (definition.HasArguments)
            {
                return Expand(definition, call, scope);
            }

            if (definition.Statement.Kind == StatementKind.Param || call.Arguments.Count > 0)
            {
                Error(SeqLanguageDiagnostics.NotCallable, call.NameSpan, call.Name, definition.Statement.Kind == StatementKind.Param ? "a parameter" : "defined without arguments");
                return ErrorValue.Instance;
            }

            return Lookup(new NameSyntax(call.NameSpan, call.Name), scope);
        }

        if (!Builtins.Contains(call.Name))
        {
            Error(SeqLanguageDiagnostics.UnknownName, call.NameSpan, call.Name);
            return ErrorValue.Instance;
        }

        if (call.Name is "product" or "zip")
        {
            Error(SeqLanguageDiagnostics.BadScan, call.NameSpan, $"{call.Name}(...) is only used in a 'scan' statement");
            return ErrorValue.Instance;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Name is not null)
            {
                Error(SeqLanguageDiagnostics.NamedArgument, argument.NameSpan, argument.Name);
            }
        }

        var (min, max, text) = call.Name switch
        {
            "on" or "off" => (1, 2, "1 or 2 arguments (channel[, duration])"),
            "atomic" => (3, 4, "3 or 4 arguments (channel, duration, opcode[, payload])"),
            "wait" => (1, 1, "1 argument (duration)"),
            "repeat" => (2, 2, "2 arguments (count, sequence)"),
            "serial" or "parallel" => (0, int.MaxValue, "any number of arguments"),
            "ttl" or "rwg" or "sync" or "opaque" => (2, 2, "2 arguments (board, local)"),
            "channel" => (3, 3, "3 arguments (board, type, local)"),
            "min" or "max" => (2, 2, "2 arguments"),
            "linspace" => (3, 3, "3 arguments (first, last, count)"),
            _ => (1, 1, "1 argument"),
        };
        if (call.Arguments.Count < min || call.Arguments.Count > max)
        {
            Error(SeqLanguageDiagnostics.ArgumentCount, call.Span, call.Name, text, call.Arguments.Count);
            return ErrorValue.Instance;
        }

        var args = new SeqValue[call.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Evaluate(call.Arguments[i].Value, scope);
        }

        if (args.Any(a => a is ErrorValue))
        {
            return ErrorValue.Instance;
        }

        TextSpan ArgSpan(int i) => call.Arguments[i].Value.Span;

        switch (call.Name)
        {
            case "wait":
                return Duration(args[0], ArgSpan(0)) is { } wait ? Node(() => _arena.Wait(wait), call.Span) : ErrorValue.Instance;

            case "on" or "off":
                {
                    var channel = Expect<ChannelValue>(args[0], ArgSpan(0), "a channel (B0:TTL:3 or ttl(0, 3))");
                    SeqDuration? duration = args.Length > 1 ? Duration(args[1], ArgSpan(1)) : SeqDuration.FromCycles(0);
                    if (channel is null || duration is not { } d)
                    {
                        return ErrorValue.Instance;
                    }

                    var opcode = call.Name == "on" ? SeqOpcodes.TtlOn : SeqOpcodes.TtlOff;
                    return Node(() => _arena.Atomic(channel.Channel, d, opcode), call.Span);
                }

            case "atomic":
                return Atomic(call, args);

            case "repeat":
                {
                    var count = Integer(args[0], ArgSpan(0), "the repeat count", 0, 10_000_000);
                    var body = Expect<SequenceValue>(args[1], ArgSpan(1), "a sequence");
                    if (count is not { } n || body is null)
                    {
                        return ErrorValue.Instance;
                    }

                    return Node(() => _arena.Serial([.. Enumerable.Repeat(body.Node, (int)n)]), call.Span, n);
                }

            case "serial" or "parallel":
                return Compose(call.Name, args, call.Arguments.Select(a => a.Value.Span).ToArray(), call.Span);

            case "ttl" or "rwg" or "sync" or "opaque" or "channel":
                {
                    var board = Integer(args[0], ArgSpan(0), "a board", 0, Channel.MaxBoard);
                    var type = call.Name switch
                    {
                        "ttl" => (long)ChannelType.Ttl,
                        "rwg" => (long)ChannelType.Rwg,
                        "sync" => (long)ChannelType.Sync,
                        "opaque" => (long)ChannelType.Opaque,
                        _ => Integer(args[1], ArgSpan(1), "a channel type", 0, Channel.MaxType),
                    };
                    var localIndex = call.Name == "channel" ? 2 : 1;
                    var local = Integer(args[localIndex], ArgSpan(localIndex), "a local channel index", 0, Channel.MaxLocal);
                    if (board is null || type is null || local is null)
                    {
                        return ErrorValue.Instance;
                    }

                    return new ChannelValue(Channel.Create((int)board, (int)type, (int)local));
                }

            case "cycles" or "seconds":
                {
                    if (Expect<TimeValue>(args[0], ArgSpan(0), "a time") is not { } t)
                    {
                        return ErrorValue.Instance;
                    }

                    var hz = (decimal)_arena.Clock.Hz;
                    Func<decimal, double> f = call.Name == "cycles" ? c => (double)c : c => (double)(c / hz);
                    return new NumberValue(f(t.Cycles), t.Dependency, t.Dependency is null ? null : v => f(t.At(v)));
                }

            case "round" or "floor" or "ceil" or "abs":
                {
                    if (Expect<NumberValue>(args[0], ArgSpan(0), "a number") is not { } x)
                    {
                        return ErrorValue.Instance;
                    }

                    Func<double, double> f = call.Name switch
                    {
                        "round" => v => Math.Round(v, MidpointRounding.AwayFromZero),
                        "floor" => Math.Floor,
                        "ceil" => Math.Ceiling,
                        _ => Math.Abs,
                    };
                    return new NumberValue(f(x.Value), x.Dependency, x.Dependency is null ? null : v => f(x.At(v)));
                }

            case "min" or "max":
                {
                    var a = Expect<NumberValue>(args[0], ArgSpan(0), "a number");
                    var b = Expect<NumberValue>(args[1], ArgSpan(1), "a number");
                    if (a is null || b is null)
                    {
                        return ErrorValue.Instance;
                    }

                    Func<double, double, double> f = call.Name == "min" ? Math.Min : Math.Max;
                    return Arithmetic(a, b, call.Span, (x, y) => f((double)x, (double)y));
                }

            case "linspace":
                return Linspace(args, call);

            default:
                {
                    // u8 ... f64
                    if (Expect<NumberValue>(args[0], ArgSpan(0), call.Name.StartsWith('f') ? "a number" : "a number (for a time, write cycles(t))") is not { } x)
                    {
                        return ErrorValue.Instance;
                    }

                    var encoder = call.Name;
                    try
                    {
                        var bytes = SeqValueMath.Encode(encoder, x.Value);
                        return new BytesValue(bytes, x.Dependency, x.Dependency is null ? null : v => SeqValueMath.Encode(encoder, x.At(v)));
                    }
                    catch (EvaluationException e)
                    {
                        Error(SeqLanguageDiagnostics.OutOfRange, call.Span, e.Message);
                        return ErrorValue.Instance;
                    }
                }
        }
    }

    private SeqValue Atomic(CallSyntax call, SeqValue[] args)
    {
        var channel = Expect<ChannelValue>(args[0], call.Arguments[0].Value.Span, "a channel (B0:TTL:3 or ttl(0, 3))");
        var duration = Duration(args[1], call.Arguments[1].Value.Span);
        var opcode = Integer(args[2], call.Arguments[2].Value.Span, "an opcode", 0, ushort.MaxValue);
        var payload = args.Length > 3 ? Expect<BytesValue>(args[3], call.Arguments[3].Value.Span, "a payload (bytes: hex\"0102\", u16(x), f32(x), a ++ b)") : new BytesValue([]);
        if (channel is null || duration is not { } d || opcode is not { } op || payload is null)
        {
            return ErrorValue.Instance;
        }

        if (payload.Dependency is { } parameter)
        {
            var function = payload.Function!;
            _payloadUses.Add((parameter, function, call.Span));
            return Node(() => _arena.Atomic(channel.Channel, d, (ushort)op, parameter, v => Encode(function, v)), call.Span);
        }

        return Node(() => _arena.Atomic(channel.Channel, d, (ushort)op, payload.Bytes), call.Span);
    }

    /// <summary>The encoder handed to the arena. Every scan value was checked with it already; a failure gives no bytes rather than an exception inside the compiler.</summary>
    private static ReadOnlyMemory<byte> Encode(Func<double, byte[]> function, double value)
    {
        try
        {
            return function(value);
        }
        catch (EvaluationException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    private SeqDuration? Duration(SeqValue value, TextSpan span)
    {
        switch (value)
        {
            case TimeValue { Dependency: null } t:
                return WholeCycles(t.Cycles, span) is { } cycles ? SeqDuration.FromCycles(cycles) : null;
            case NumberValue { Dependency: null, Value: 0 }:
                return SeqDuration.FromCycles(0); // a bare 0 needs no unit
            case TimeValue { IsParameter: true, Dependency: { } p }:
                return SeqDuration.Of(p, TimeUnit.Cycles);
            case TimeValue { Dependency: { } p }:
                Error(SeqLanguageDiagnostics.ParameterExpression, span,
                    $"a duration can be a time parameter itself or a fixed time, not an expression of parameter '{p.Name}' (declare another parameter and scan both with zip)");
                return null;
            case ErrorValue:
                return null;
            default:
                Error(SeqLanguageDiagnostics.TypeMismatch, span, "a duration (a time with a unit: 10us, 250ns, 100cycles)", value.TypeName);
                return null;
        }
    }

    private long? Integer(SeqValue value, TextSpan span, string what, long min, long max)
    {
        if (value is ErrorValue)
        {
            return null;
        }

        if (value is not NumberValue n)
        {
            Error(SeqLanguageDiagnostics.TypeMismatch, span, what + " (a whole number)", value.TypeName);
            return null;
        }

        if (n.Dependency is not null)
        {
            Error(SeqLanguageDiagnostics.ParameterExpression, span, $"{what} cannot depend on parameter '{n.Dependency.Name}'");
            return null;
        }

        if (n.Value != Math.Floor(n.Value) || n.Value < min || n.Value > max)
        {
            Error(SeqLanguageDiagnostics.OutOfRange, span, string.Create(CultureInfo.InvariantCulture, $"{what} must be a whole number from {min} to {max}, not {SeqValueMath.Number(n.Value)}"));
            return null;
        }

        return (long)n.Value;
    }

    private SeqValue Compose(string kind, IReadOnlyList<SeqValue> items, IReadOnlyList<TextSpan> spans, TextSpan span)
    {
        var nodes = new SeqNode[items.Count];
        var failed = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (Expect<SequenceValue>(items[i], spans[i], $"a sequence ({kind} composes sequences)") is { } s)
            {
                nodes[i] = s.Node;
            }
            else
            {
                failed = true;
            }
        }

        if (failed)
        {
            return ErrorValue.Instance;
        }

        return Node(() => kind == "serial" ? _arena.Serial(nodes) : _arena.Parallel(nodes), span, nodes.Length);
    }

    private SeqValue Block(BlockSyntax block, Scope? scope)
    {
        if (block.Name is not ("serial" or "parallel"))
        {
            Error(SeqLanguageDiagnostics.Expected, block.NameSpan, "'serial {' or 'parallel {'", $"'{block.Name} {{'");
            return ErrorValue.Instance;
        }

        var values = block.Items.Select(i => Evaluate(i, scope)).ToArray();
        return values.Any(v => v is ErrorValue)
            ? ErrorValue.Instance
            : Compose(block.Name, values, block.Items.Select(i => i.Span).ToArray(), block.Span);
    }

    private SeqValue Linspace(SeqValue[] args, CallSyntax call)
    {
        var count = Integer(args[2], call.Arguments[2].Value.Span, "the count", 1, MaxScanPoints);
        if (count is not { } n)
        {
            return ErrorValue.Instance;
        }

        var items = new List<(SeqValue, TextSpan)>((int)n);
        switch (args[0], args[1])
        {
            case (NumberValue { Dependency: null } a, NumberValue { Dependency: null } b):
                for (var i = 0; i < n; i++)
                {
                    items.Add((new NumberValue(n == 1 ? a.Value : i == n - 1 ? b.Value : a.Value + ((b.Value - a.Value) * i / (n - 1))), call.Span));
                }

                return new ListValue(items);
            case (TimeValue { Dependency: null } a, TimeValue { Dependency: null } b):
                try
                {
                    for (var i = 0; i < n; i++)
                    {
                        items.Add((new TimeValue(n == 1 ? a.Cycles : a.Cycles + ((b.Cycles - a.Cycles) * i / (n - 1))), call.Span));
                    }
                }
                catch (OverflowException)
                {
                    Error(SequenceDiagnostics.NegativeTime, call.Span, SourceText(call.Span));
                    return ErrorValue.Instance;
                }

                return new ListValue(items);
            default:
                Error(SeqLanguageDiagnostics.TypeMismatch, call.Span, "two fixed numbers or two fixed times", args[0].TypeName + " and " + args[1].TypeName);
                return ErrorValue.Instance;
        }
    }

    // ------------------------------------------------------------------ operators

    private SeqValue Chain(ChainSyntax chain, Scope? scope)
    {
        var values = new SeqValue[chain.Operands.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Evaluate(chain.Operands[i], scope);
        }

        if (values.Any(v => v is ErrorValue))
        {
            return ErrorValue.Instance;
        }

        switch (chain.Operator)
        {
            case SeqTokenKind.Then:
                return Compose("serial", values, chain.Operands.Select(o => o.Span).ToArray(), chain.Span);
            case SeqTokenKind.Bar:
                return Compose("parallel", values, chain.Operands.Select(o => o.Span).ToArray(), chain.Span);
            case SeqTokenKind.Concat:
                {
                    var parts = new BytesValue[values.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        if (Expect<BytesValue>(values[i], chain.Operands[i].Span, "bytes (++ joins payloads)") is not { } b)
                        {
                            return ErrorValue.Instance;
                        }

                        parts[i] = b;
                    }

                    var dependency = SingleDependency(parts.Select(p => p.Dependency), chain.Span, out var ok);
                    if (!ok)
                    {
                        return ErrorValue.Instance;
                    }

                    var bytes = parts.SelectMany(p => p.Bytes).ToArray();
                    return new BytesValue(bytes, dependency, dependency is null ? null : v => [.. parts.SelectMany(p => p.At(v))]);
                }

            default:
                {
                    var result = values[0];
                    for (var i = 1; i < values.Length && result is not ErrorValue; i++)
                    {
                        result = Binary(chain.Operators[i - 1], result, values[i], TextSpan.FromBounds(chain.Span.Start, chain.Operands[i].Span.End));
                    }

                    return result;
                }
        }
    }

    private Parameter? SingleDependency(IEnumerable<Parameter?> dependencies, TextSpan span, out bool ok)
    {
        ok = true;
        Parameter? found = null;
        foreach (var d in dependencies)
        {
            if (d is null)
            {
                continue;
            }

            if (found is not null && !ReferenceEquals(found, d))
            {
                Error(SeqLanguageDiagnostics.ParameterExpression, span, $"this value depends on both '{found.Name}' and '{d.Name}'; a value may depend on at most one parameter");
                ok = false;
                return null;
            }

            found = d;
        }

        return found;
    }

    private SeqValue Negate(SeqValue value, TextSpan span) => value switch
    {
        NumberValue n => new NumberValue(-n.Value, n.Dependency, n.Dependency is null ? null : v => -n.At(v)),
        TimeValue t => new TimeValue(-t.Cycles, t.Dependency, false, t.Dependency is null ? null : v => -t.At(v)),
        ErrorValue => value,
        _ => Error2(SeqLanguageDiagnostics.TypeMismatch, span, "a number or a time after '-'", value.TypeName),
    };

    private SeqValue Binary(SeqTokenKind op, SeqValue a, SeqValue b, TextSpan span)
    {
        var symbol = op switch
        {
            SeqTokenKind.Plus => "+",
            SeqTokenKind.Minus => "-",
            SeqTokenKind.Star => "*",
            _ => "/",
        };
        Func<object, object, object>? f = (a, b, op) switch
        {
            (NumberValue, NumberValue, _) => (x, y) => SeqValueMath.Checked(NumberOp(op, (double)x, (double)y), "the result"),
            (TimeValue, TimeValue, SeqTokenKind.Plus or SeqTokenKind.Minus) => (x, y) => DecimalOp(op, (decimal)x, (decimal)y),
            (TimeValue, TimeValue, SeqTokenKind.Slash) => (x, y) => SeqValueMath.Checked((double)DecimalOp(op, (decimal)x, (decimal)y), "the ratio"),
            (TimeValue, NumberValue, SeqTokenKind.Star or SeqTokenKind.Slash) => (x, y) => DecimalOp(op, (decimal)x, SeqValueMath.ToDecimal((double)y)),
            (NumberValue, TimeValue, SeqTokenKind.Star) => (x, y) => DecimalOp(op, SeqValueMath.ToDecimal((double)x), (decimal)y),
            _ => null,
        };
        if (f is null)
        {
            Error(SeqLanguageDiagnostics.BadOperator, span, symbol, a.TypeName, b.TypeName);
            return ErrorValue.Instance;
        }

        return Arithmetic(a, b, span, f);
    }

    private static double NumberOp(SeqTokenKind op, double x, double y) => op switch
    {
        SeqTokenKind.Plus => x + y,
        SeqTokenKind.Minus => x - y,
        SeqTokenKind.Star => x * y,
        _ => y == 0 ? throw new EvaluationException("division by zero") : x / y,
    };

    private static decimal DecimalOp(SeqTokenKind op, decimal x, decimal y)
    {
        try
        {
            return op switch
            {
                SeqTokenKind.Plus => x + y,
                SeqTokenKind.Minus => x - y,
                SeqTokenKind.Star => x * y,
                _ => y == 0 ? throw new EvaluationException("division by zero") : x / y,
            };
        }
        catch (OverflowException)
        {
            throw new EvaluationException("the result is out of range");
        }
    }

    /// <summary>Applies <paramref name="f"/> to two numbers or times (doubles or decimal cycles), now and, if they depend on a parameter, as a function of it.</summary>
    private SeqValue Arithmetic(SeqValue a, SeqValue b, TextSpan span, Func<object, object, object> f)
    {
        var dependency = SingleDependency([Dependency(a), Dependency(b)], span, out var ok);
        if (!ok)
        {
            return ErrorValue.Instance;
        }

        object result;
        try
        {
            result = f(Scalar(a, null), Scalar(b, null));
        }
        catch (EvaluationException e)
        {
            Error(SeqLanguageDiagnostics.OutOfRange, span, e.Message);
            return ErrorValue.Instance;
        }

        if (result is double d)
        {
            return new NumberValue(d, dependency, dependency is null ? null : v => (double)f(Scalar(a, v), Scalar(b, v)));
        }

        return new TimeValue((decimal)result, dependency, false, dependency is null ? null : v => (decimal)f(Scalar(a, v), Scalar(b, v)));
    }

    private static Parameter? Dependency(SeqValue value) => value switch
    {
        NumberValue n => n.Dependency,
        TimeValue t => t.Dependency,
        BytesValue b => b.Dependency,
        _ => null,
    };

    private static object Scalar(SeqValue value, double? parameterValue) => value switch
    {
        NumberValue n => parameterValue is { } v ? n.At(v) : n.Value,
        TimeValue t => parameterValue is { } v ? t.At(v) : t.Cycles,
        _ => throw new EvaluationException("not a number"),
    };

    // ------------------------------------------------------------------ scan

    private IReadOnlyList<IReadOnlyList<ScanAssignment>>? BindScan(StatementSyntax scan)
    {
        var scanned = new Dictionary<Parameter, TextSpan>();
        var points = ScanPoints(scan.Value, scanned);
        if (points is null)
        {
            return null;
        }

        if (points.Count == 0)
        {
            Error(SeqLanguageDiagnostics.BadScan, scan.Value.Span, "the scan has no points");
            return null;
        }

        // A payload depends on one parameter, so each distinct value is encoded once.
        var errors = 0;
        var checkedValues = new HashSet<(Parameter, double)>();
        for (var index = 0; index < points.Count && errors < MaxScanPointErrors; index++)
        {
            foreach (var assignment in points[index])
            {
                var parameter = assignment.Parameter.Parameter;
                if (!checkedValues.Add((parameter, assignment.Value)))
                {
                    continue;
                }

                foreach (var (p, encode, span) in _payloadUses)
                {
                    if (!ReferenceEquals(p, parameter))
                    {
                        continue;
                    }

                    try
                    {
                        encode(assignment.Value);
                    }
                    catch (EvaluationException e)
                    {
                        if (errors++ < MaxScanPointErrors)
                        {
                            Error(SeqLanguageDiagnostics.BadScanPoint, assignment.Span, index, SequenceProgram.Describe(points[index]), $"{e.Message} (in the payload at ({Position(span)}))");
                        }

                        break;
                    }
                }
            }
        }

        return errors > 0 ? null : points;
    }

    private List<IReadOnlyList<ScanAssignment>>? ScanPoints(ExprSyntax expression, Dictionary<Parameter, TextSpan> scanned)
    {
        if (expression is not CallSyntax { Name: "product" or "zip" } call)
        {
            if (expression is not MissingSyntax)
            {
                Error(SeqLanguageDiagnostics.BadScan, expression.Span, "expected product(name = [values], ...) or zip(name = [values], ...)");
            }

            return null;
        }

        var children = new List<List<IReadOnlyList<ScanAssignment>>>();
        var failed = false;
        foreach (var argument in call.Arguments)
        {
            List<IReadOnlyList<ScanAssignment>>? child;
            if (argument.Name is not null)
            {
                child = Axis(argument, scanned);
            }
            else if (argument.Value is CallSyntax { Name: "product" or "zip" })
            {
                if (!RuntimeHelpers_Enough())
                {
                    Error(SeqLanguageDiagnostics.TooDeep, argument.Span);
                    return null;
                }

                child = ScanPoints(argument.Value, scanned);
            }
            else
            {
                Error(SeqLanguageDiagnostics.BadScan, argument.Span, "expected 'name = [values]', product(...) or zip(...)");
                child = null;
            }

            if (child is null)
            {
                failed = true;
            }
            else
            {
                children.Add(child);
            }
        }

        if (failed)
        {
            return null;
        }

        if (call.Name == "zip")
        {
            if (children.Count == 0)
            {
                return [];
            }

            var n = children[0].Count;
            if (children.Any(c => c.Count != n))
            {
                Error(SeqLanguageDiagnostics.BadScan, call.NameSpan, "zip of unequal lengths (" + string.Join(", ", children.Select(c => c.Count.ToString(CultureInfo.InvariantCulture))) + ")");
                return null;
            }

            var zipped = new List<IReadOnlyList<ScanAssignment>>(n);
            for (var i = 0; i < n; i++)
            {
                zipped.Add([.. children.SelectMany(c => c[i])]);
            }

            return zipped;
        }

        long total = 1;
        foreach (var c in children)
        {
            total *= c.Count;
            if (total > MaxScanPoints)
            {
                Error(SeqLanguageDiagnostics.BadScan, call.NameSpan, $"more than {MaxScanPoints:N0} points");
                return null;
            }
        }

        // The outer product, last axis fastest.
        var product = new List<IReadOnlyList<ScanAssignment>> { Array.Empty<ScanAssignment>() };
        foreach (var c in children)
        {
            var next = new List<IReadOnlyList<ScanAssignment>>(product.Count * c.Count);
            foreach (var prefix in product)
            {
                foreach (var suffix in c)
                {
                    next.Add([.. prefix, .. suffix]);
                }
            }

            product = next;
        }

        return children.Count == 0 ? [] : product;
    }

    private static bool RuntimeHelpers_Enough() => System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack();

    private List<IReadOnlyList<ScanAssignment>>? Axis(ArgumentSyntax argument, Dictionary<Parameter, TextSpan> scanned)
    {
        if (!_globals.TryGetValue(argument.Name!, out var definition) || definition.Statement.Kind != StatementKind.Param)
        {
            Error(SeqLanguageDiagnostics.BadScan, argument.NameSpan, $"'{argument.Name}' is not a parameter (declare it with 'param {argument.Name} = ...')");
            return null;
        }

        definition.Used = true;
        if (definition.Parameter is not { } info)
        {
            return null; // its declaration was reported
        }

        if (!scanned.TryAdd(info.Parameter, argument.NameSpan))
        {
            Error(SeqLanguageDiagnostics.BadScan, argument.NameSpan, $"parameter '{argument.Name}' is scanned twice (first at ({Position(scanned[info.Parameter])}))");
            return null;
        }

        var value = Evaluate(argument.Value, null);
        var items = value switch
        {
            ListValue list => list.Items,
            ErrorValue => null,
            _ => [(value, argument.Value.Span)],
        };
        if (items is null)
        {
            return null;
        }

        var axis = new List<IReadOnlyList<ScanAssignment>>(items.Count);
        var failed = false;
        foreach (var (item, span) in items)
        {
            double? v = (item, info.IsTime) switch
            {
                (ErrorValue, _) => null,
                (TimeValue { Dependency: null } t, true) => WholeCycles(t.Cycles, span) is { } c ? c < (1UL << 53) ? c : TooBig(span) : null,
                (NumberValue { Dependency: null } n, false) => n.Value,
                _ => Mismatch(item, span, info),
            };
            if (v is { } value2)
            {
                axis.Add([new ScanAssignment(info, value2, span)]);
            }
            else
            {
                failed = true;
            }
        }

        return failed ? null : axis;
    }

    private double? TooBig(TextSpan span)
    {
        Error(SeqLanguageDiagnostics.OutOfRange, span, "a time parameter must be below 2^53 cycles");
        return null;
    }

    private double? Mismatch(SeqValue item, TextSpan span, ProgramParameter info)
    {
        Error(SeqLanguageDiagnostics.TypeMismatch, span, info.IsTime ? $"a fixed time for time parameter '{info.Name}'" : $"a fixed number for parameter '{info.Name}'", item.TypeName);
        return null;
    }
}
