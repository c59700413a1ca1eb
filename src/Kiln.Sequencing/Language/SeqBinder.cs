using System.Globalization;
using System.Runtime.CompilerServices;
using Kiln.Text;

namespace Kiln.Sequencing.Language;

/// <summary>
/// Binds a parsed sequence file into a <see cref="SequenceArena"/>: evaluates <c>let</c>s and
/// <c>seq</c> definitions on demand (so order does not matter), makes one node per distinct use of
/// a definition (a <c>seq</c> used twice with the same arguments is one node used twice),
/// registers parameters and the payloads and durations that depend on them, expands the scan, and
/// checks what can be checked before compiling (types, ranges, whole cycles, recursion, every
/// parallel composition's channels). Every problem is a diagnostic with a position.
/// </summary>
internal sealed partial class SeqBinder
{
    /// <summary>Nodes plus edges the binder may create before it stops with KSQ1304.</summary>
    private const long MaxSize = 50_000_000;

    /// <summary>Events the channel check compiles in total before it leaves the rest to the compiler.</summary>
    private const long CheckBudget = 4_000_000;

    private const int MaxScanPoints = 1_000_000;

    private const int MaxScanPointErrors = 10;

    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, Definition> _globals = new(StringComparer.Ordinal);
    private readonly List<string> _stack = [];
    private readonly Dictionary<int, TextSpan> _spans = [];
    private readonly List<int> _parallelNodes = [];
    private readonly List<(Parameter Parameter, Func<double, byte[]> Encode, TextSpan Span)> _payloadUses = [];
    private readonly Dictionary<Channel, string> _channelNames = [];
    private readonly List<ProgramParameter> _parameters = [];
    private SequenceArena _arena = new();
    private long _size;
    private bool _tooLarge;
    private int _depth;
    private bool _tooDeepReported;

    private SeqBinder(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    private enum DefinitionState : byte
    {
        Unbound,
        Binding,
        Bound,
    }

    /// <summary>A top-level name: a <c>let</c>, a <c>param</c> or a <c>seq</c>.</summary>
    private sealed class Definition(StatementSyntax statement)
    {
        public StatementSyntax Statement { get; } = statement;

        public DefinitionState State { get; set; }

        /// <summary>For a <c>let</c> or <c>seq</c> without arguments, and a <c>param</c>: its value once bound.</summary>
        public SeqValue? Value { get; set; }

        public ProgramParameter? Parameter { get; set; }

        /// <summary>For a <c>seq</c> with arguments: one node per distinct argument list.</summary>
        public Dictionary<string, SeqValue> Instances { get; } = new(StringComparer.Ordinal);

        public bool Used { get; set; }

        public bool HasArguments => Statement.Parameters is not null;
    }

    /// <summary>Arguments of the definition being expanded.</summary>
    private sealed class Scope(Scope? parent, Dictionary<string, SeqValue> locals)
    {
        public Scope? Parent { get; } = parent;

        public Dictionary<string, SeqValue> Locals { get; } = locals;
    }

    public static SequenceProgram Bind(SeqFileSyntax file, DiagnosticBag diagnostics)
    {
        var binder = new SeqBinder(file.Source, diagnostics);
        return binder.BindFile(file);
    }

    private SequenceProgram BindFile(SeqFileSyntax file)
    {
        StatementSyntax? clock = null, main = null, scan = null;
        foreach (var statement in file.Statements)
        {
            switch (statement.Kind)
            {
                case StatementKind.Clock:
                    Single(ref clock, statement, "clock");
                    break;
                case StatementKind.Main:
                    Single(ref main, statement, "main");
                    break;
                case StatementKind.Scan:
                    Single(ref scan, statement, "scan");
                    break;
                default:
                    Declare(statement);
                    break;
            }
        }

        if (clock is not null)
        {
            BindClock(clock);
        }

        // Parameters first, in file order, so that their ids follow the file.
        foreach (var definition in _globals.Values)
        {
            if (definition.Statement.Kind == StatementKind.Param)
            {
                BindParameter(definition);
            }
        }

        // Lets next: they name channels for the outputs.
        foreach (var definition in _globals.Values)
        {
            if (definition.Statement.Kind == StatementKind.Let && !definition.HasArguments)
            {
                if (BindLet(definition, definition.Statement.NameSpan) is ChannelValue c)
                {
                    _channelNames.TryAdd(c.Channel, definition.Statement.Name!);
                }
            }
        }

        SeqNode? root = null;
        if (main is null)
        {
            _diagnostics.Add(SeqLanguageDiagnostics.MissingMain, _source, 0);
        }
        else if (Expect<SequenceValue>(Evaluate(main.Value, null), main.Value.Span, "a sequence") is { } value)
        {
            root = value.Node;
        }

        // Definitions that main does not use are still checked.
        foreach (var definition in _globals.Values)
        {
            if (definition.Statement.Kind == StatementKind.Seq && !definition.HasArguments && definition.State == DefinitionState.Unbound)
            {
                BindSeq(definition, definition.Statement.NameSpan);
            }
        }

        IReadOnlyList<IReadOnlyList<ScanAssignment>>? points = null;
        if (scan is not null)
        {
            points = BindScan(scan);
        }

        // Unused names are worth a warning only in a file that is otherwise right.
        foreach (var definition in _diagnostics.HasErrors ? Enumerable.Empty<Definition>() : _globals.Values)
        {
            if (!definition.Used)
            {
                _diagnostics.Add(SeqLanguageDiagnostics.UnusedDefinition, _source, definition.Statement.NameSpan.Start, definition.Statement.Name);
            }
        }

        if (!_diagnostics.HasErrors && root is not null)
        {
            CheckChannels(root.Value);
        }

        var sorted = _diagnostics.Items.OrderBy(d => d.Line == 0 ? int.MaxValue : d.Line).ThenBy(d => d.Column).ToArray();
        return new SequenceProgram(_source, _arena, _diagnostics.HasErrors ? null : root, sorted, _parameters, _diagnostics.HasErrors ? null : points, _channelNames, _spans);
    }

    private void Single(ref StatementSyntax? slot, StatementSyntax statement, string keyword)
    {
        if (slot is null)
        {
            slot = statement;
            return;
        }

        _diagnostics.Add(SeqLanguageDiagnostics.DuplicateStatement, _source, statement.KeywordSpan.Start, keyword, Position(slot.KeywordSpan));
    }

    private void Declare(StatementSyntax statement)
    {
        var name = statement.Name!;
        if (Builtins.Contains(name))
        {
            _diagnostics.Add(SeqLanguageDiagnostics.ReservedName, _source, statement.NameSpan.Start, name);
            return;
        }

        if (_globals.TryGetValue(name, out var existing))
        {
            _diagnostics.Add(SeqLanguageDiagnostics.DuplicateName, _source, statement.NameSpan.Start, name, Position(existing.Statement.NameSpan));
            return;
        }

        if (statement.Parameters is { } parameters)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (p, span) in parameters)
            {
                if (!seen.Add(p))
                {
                    _diagnostics.Add(SeqLanguageDiagnostics.DuplicateName, _source, span.Start, p, Position(parameters.First(x => x.Name == p).Span));
                }
            }
        }

        _globals.Add(name, new Definition(statement));
    }

    private string Position(TextSpan span)
    {
        var p = _source.GetLinePosition(span.Start);
        return string.Create(CultureInfo.InvariantCulture, $"{p.Line},{p.Column}");
    }

    private void BindClock(StatementSyntax clock)
    {
        var value = Evaluate(clock.Value, null);
        if (value is ErrorValue)
        {
            return;
        }

        if (value is not NumberValue { Dependency: null } n || clock.Value is not NumberSyntax { Unit: "Hz" or "kHz" or "MHz" or "GHz" } && clock.Value is not ChainSyntax and not NameSyntax)
        {
            Error(SeqLanguageDiagnostics.TypeMismatch, clock.Value.Span, "a clock frequency such as 250MHz", value.TypeName);
            return;
        }

        if (n.Value < 1 || n.Value > 1e15 || n.Value != Math.Floor(n.Value))
        {
            Error(SeqLanguageDiagnostics.OutOfRange, clock.Value.Span, $"the clock must be a whole number of Hz between 1 Hz and 1000 THz, not {SeqValueMath.Number(n.Value)} Hz");
            return;
        }

        _arena = new SequenceArena(new SequenceClock((ulong)n.Value));
    }

    private void BindParameter(Definition definition)
    {
        var statement = definition.Statement;
        definition.State = DefinitionState.Binding;
        var value = Evaluate(statement.Value, null);
        definition.State = DefinitionState.Bound;
        Parameter parameter;
        ProgramParameter info;
        switch (value)
        {
            case NumberValue { Dependency: null } n:
                parameter = _arena.DefineParameter(statement.Name!, n.Value);
                info = new ProgramParameter(statement.Name!, parameter, IsTime: false, statement.NameSpan);
                definition.Value = new NumberValue(n.Value, parameter, v => v);
                break;
            case TimeValue { Dependency: null } t:
                if (WholeCycles(t.Cycles, statement.Value.Span) is not { } cycles || cycles > (1UL << 53))
                {
                    if (t.Cycles == decimal.Truncate(t.Cycles) && t.Cycles >= 0)
                    {
                        Error(SeqLanguageDiagnostics.OutOfRange, statement.Value.Span, "a time parameter must be below 2^53 cycles");
                    }

                    definition.Value = ErrorValue.Instance;
                    return;
                }

                parameter = _arena.DefineParameter(statement.Name!, cycles);
                info = new ProgramParameter(statement.Name!, parameter, IsTime: true, statement.NameSpan);
                definition.Value = new TimeValue(cycles, parameter, IsParameter: true, v => SeqValueMath.ToDecimal(v));
                break;
            case ErrorValue:
                definition.Value = ErrorValue.Instance;
                return;
            default:
                Error(SeqLanguageDiagnostics.TypeMismatch, statement.Value.Span, "a number or a time (a parameter's value is fixed text, not an expression of another parameter)", value.TypeName);
                definition.Value = ErrorValue.Instance;
                return;
        }

        definition.Parameter = info;
        _parameters.Add(info);
    }

    private SeqValue BindLet(Definition definition, TextSpan useSpan) => BindDefinition(definition, useSpan, value => value);

    private SeqValue BindSeq(Definition definition, TextSpan useSpan) => BindDefinition(definition, useSpan, value =>
        Expect<SequenceValue>(value, definition.Statement.Value.Span, "a sequence (a 'seq' defines a sequence; use 'let' for other values)") ?? (SeqValue)ErrorValue.Instance);

    /// <summary>
    /// A definition's value, evaluated once, on first use (<paramref name="check"/> turns the
    /// evaluated value into the one kept); a use while it is being evaluated is a recursion error.
    /// </summary>
    private SeqValue BindDefinition(Definition definition, TextSpan useSpan, Func<SeqValue, SeqValue> check)
    {
        if (definition.State == DefinitionState.Bound)
        {
            return definition.Value!;
        }

        if (definition.State == DefinitionState.Binding)
        {
            return Recursion(definition.Statement.Name!, useSpan);
        }

        definition.State = DefinitionState.Binding;
        _stack.Add(definition.Statement.Name!);
        var value = Evaluate(definition.Statement.Value, null);
        _stack.RemoveAt(_stack.Count - 1);
        definition.Value = check(value);
        definition.State = DefinitionState.Bound;
        return definition.Value;
    }

    private SeqValue Recursion(string name, TextSpan useSpan)
    {
        var start = _stack.IndexOf(name);
        var path = string.Join(" -> ", _stack.Skip(Math.Max(0, start)).Append(name));
        Error(SeqLanguageDiagnostics.RecursiveDefinition, useSpan, path);
        return ErrorValue.Instance;
    }

    /// <summary>A use of a definition with arguments: arguments are evaluated where they are written, then the body with them.</summary>
    private SeqValue Expand(Definition definition, CallSyntax call, Scope? scope)
    {
        var statement = definition.Statement;
        var parameters = statement.Parameters!;
        if (call.Arguments.Count != parameters.Count)
        {
            Error(SeqLanguageDiagnostics.ArgumentCount, call.Span, statement.Name, Plural(parameters.Count, "argument"), call.Arguments.Count);
            return ErrorValue.Instance;
        }

        var locals = new Dictionary<string, SeqValue>(StringComparer.Ordinal);
        var key = new System.Text.StringBuilder();
        var failed = false;
        for (var i = 0; i < parameters.Count; i++)
        {
            var argument = call.Arguments[i];
            if (argument.Name is not null)
            {
                Error(SeqLanguageDiagnostics.NamedArgument, argument.NameSpan, argument.Name);
            }

            var value = Evaluate(argument.Value, scope);
            failed |= value is ErrorValue;
            locals[parameters[i].Name] = value;
            if (statement.Kind == StatementKind.Seq)
            {
                key.Append(Key(value)).Append('\u001f');
            }
        }

        if (failed)
        {
            return ErrorValue.Instance;
        }

        if (_stack.Contains(statement.Name!))
        {
            return Recursion(statement.Name!, call.NameSpan);
        }

        var memo = key.ToString();
        if (statement.Kind == StatementKind.Seq && definition.Instances.TryGetValue(memo, out var known))
        {
            return known;
        }

        _stack.Add(statement.Name!);
        var result = Evaluate(statement.Value, new Scope(null, locals));
        _stack.RemoveAt(_stack.Count - 1);
        if (statement.Kind == StatementKind.Seq)
        {
            result = Expect<SequenceValue>(result, statement.Value.Span, "a sequence (a 'seq' defines a sequence; use 'let' for other values)") ?? (SeqValue)ErrorValue.Instance;
            definition.Instances[memo] = result;
        }

        return result;
    }

    /// <summary>A key that is equal for values that make the same nodes.</summary>
    private static string Key(SeqValue value) => value switch
    {
        NumberValue n => "n" + BitConverter.DoubleToInt64Bits(n.Value).ToString(CultureInfo.InvariantCulture) + Dep(n.Dependency),
        TimeValue t => "t" + t.Cycles.ToString(CultureInfo.InvariantCulture) + Dep(t.Dependency) + (t.IsParameter ? "p" : ""),
        ChannelValue c => "c" + c.Channel.Value.ToString(CultureInfo.InvariantCulture),
        BytesValue b => "b" + Convert.ToHexString(b.Bytes) + Dep(b.Dependency),
        SequenceValue s => "s" + s.Node.Id.ToString(CultureInfo.InvariantCulture),
        ListValue l => "l[" + string.Join(",", l.Items.Select(i => Key(i.Value))) + "]",
        _ => "e",
    };

    private static string Dep(Parameter? parameter) => parameter is null ? "" : "@" + parameter.Id.ToString(CultureInfo.InvariantCulture);

    private static string Plural(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? "" : "s");

    // ------------------------------------------------------------------ diagnostics helpers

    private void Error(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args) =>
        _diagnostics.Add(descriptor, _source, Math.Min(span.Start, _source.Length), args);

    private void Error(SequenceException exception, TextSpan span) =>
        _diagnostics.Add(Diagnostic.Create(DiagnosticSeverity.Error, exception.Code, SequenceProgram.MessageOf(exception), _source, Math.Min(span.Start, _source.Length)));

    private T? Expect<T>(SeqValue value, TextSpan span, string expected)
        where T : SeqValue
    {
        if (value is T typed)
        {
            return typed;
        }

        if (value is not ErrorValue)
        {
            Error(SeqLanguageDiagnostics.TypeMismatch, span, expected, value.TypeName);
        }

        return null;
    }

    private string SourceText(TextSpan span)
    {
        var text = _source.Text.Substring(span.Start, Math.Min(span.Length, _source.Length - span.Start)).ReplaceLineEndings(" ");
        return text.Length > 40 ? string.Concat(text.AsSpan(0, 37), "...") : text;
    }

    /// <summary>Cycles as a duration: whole, non-negative, within 64 bits (KSQ0003 / KSQ0004).</summary>
    private ulong? WholeCycles(decimal cycles, TextSpan span)
    {
        if (cycles < 0 || cycles > ulong.MaxValue)
        {
            Error(SequenceDiagnostics.NegativeTime, span, SourceText(span));
            return null;
        }

        if (cycles != decimal.Truncate(cycles))
        {
            Error(SequenceDiagnostics.NotWholeCycles, span, SourceText(span), _arena.Clock.Hz, cycles.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        return (ulong)cycles;
    }

    // ------------------------------------------------------------------ nodes

    private SeqValue Node(Func<SeqNode> make, TextSpan span, long extraSize = 0)
    {
        if (_tooLarge)
        {
            return ErrorValue.Instance;
        }

        _size += 1 + extraSize;
        if (_size > MaxSize)
        {
            _tooLarge = true;
            Error(SeqLanguageDiagnostics.TooLarge, span, $"more than {MaxSize:N0} nodes and edges");
            return ErrorValue.Instance;
        }

        try
        {
            var node = make();
            _spans.TryAdd(node.Id, span);
            if (node.Kind == NodeKind.Parallel)
            {
                _parallelNodes.Add(node.Id);
            }

            return new SequenceValue(node);
        }
        catch (SequenceException e)
        {
            Error(e, span);
            return ErrorValue.Instance;
        }
    }

    /// <summary>
    /// Compiles every parallel composition on its own (innermost first) so that several channel
    /// conflicts are reported in one run; each is reported once, at its composition.
    /// </summary>
    private void CheckChannels(SeqNode root)
    {
        var reported = new HashSet<int>();
        long budget = CheckBudget;
        foreach (var id in _parallelNodes.Append(root.Id))
        {
            var events = _arena.EventCountOf(id);
            if (id != root.Id)
            {
                budget -= events;
                if (budget < 0)
                {
                    continue;
                }
            }
            else if (events > CheckBudget * 4)
            {
                continue; // the compiler reports it when the sequence is compiled
            }

            try
            {
                SequenceCompiler.Compile(_arena, id);
            }
            catch (SequenceException e)
            {
                if (e.Nodes.Count == 0 || reported.Add(e.Nodes[0]))
                {
                    _diagnostics.Add(ToDiagnostic(e));
                }
            }
        }
    }

    private Diagnostic ToDiagnostic(SequenceException e) =>
        new SequenceProgram(_source, _arena, null, [], [], null, _channelNames, _spans).ToDiagnostic(e);

    // ------------------------------------------------------------------ expressions

    private SeqValue Evaluate(ExprSyntax expression, Scope? scope)
    {
        if (++_depth > 400 || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _depth--;
            if (!_tooDeepReported)
            {
                _tooDeepReported = true;
                Error(SeqLanguageDiagnostics.TooDeep, expression.Span);
            }

            return ErrorValue.Instance;
        }

        try
        {
            return EvaluateCore(expression, scope);
        }
        finally
        {
            _depth--;
        }
    }

    private SeqValue EvaluateCore(ExprSyntax expression, Scope? scope)
    {
        switch (expression)
        {
            case MissingSyntax:
                return ErrorValue.Instance;
            case NumberSyntax number:
                return Literal(number);
            case ChannelSyntax channel:
                return SeqLexer.TryParseChannel(channel.Text, out var c) ? new ChannelValue(c) : ErrorValue.Instance;
            case HexSyntax hex:
                return new BytesValue(hex.Bytes);
            case NameSyntax name:
                return Lookup(name, scope);
            case ListSyntax list:
                {
                    var items = new List<(SeqValue, TextSpan)>(list.Items.Count);
                    foreach (var item in list.Items)
                    {
                        items.Add((Evaluate(item, scope), item.Span));
                    }

                    return new ListValue(items);
                }

            case NegateSyntax negate:
                return Negate(Evaluate(negate.Operand, scope), negate.Span);
            case ChainSyntax chain:
                return Chain(chain, scope);
            case BlockSyntax block:
                return Block(block, scope);
            case CallSyntax call:
                return Call(call, scope);
            default:
                return ErrorValue.Instance;
        }
    }

    private SeqValue Literal(NumberSyntax number)
    {
        var v = number.Value;
        try
        {
            return number.Unit switch
            {
                "!" => ErrorValue.Instance,
                "" => new NumberValue((double)v),
                "Hz" => new NumberValue((double)v),
                "kHz" => new NumberValue((double)v * 1e3),
                "MHz" => new NumberValue((double)v * 1e6),
                "GHz" => new NumberValue((double)v * 1e9),
                "cycles" or "cy" => new TimeValue(v),
                "s" => new TimeValue(v * _arena.Clock.CyclesPer(TimeUnit.Seconds)),
                "ms" => new TimeValue(v * _arena.Clock.CyclesPer(TimeUnit.Milliseconds)),
                "us" => new TimeValue(v * _arena.Clock.CyclesPer(TimeUnit.Microseconds)),
                _ => new TimeValue(v * _arena.Clock.CyclesPer(TimeUnit.Nanoseconds)),
            };
        }
        catch (OverflowException)
        {
            Error(SequenceDiagnostics.NegativeTime, number.Span, number.Text);
            return ErrorValue.Instance;
        }
    }

    private SeqValue Lookup(NameSyntax name, Scope? scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Locals.TryGetValue(name.Name, out var local))
            {
                return local;
            }
        }

        if (_globals.TryGetValue(name.Name, out var definition))
        {
            definition.Used = true;
            if (definition.HasArguments)
            {
                Error(SeqLanguageDiagnostics.ArgumentCount, name.Span, name.Name, Plural(definition.Statement.Parameters!.Count, "argument"), 0);
                return ErrorValue.Instance;
            }

            return definition.Statement.Kind switch
            {
                StatementKind.Param => definition.State == DefinitionState.Bound ? definition.Value! : ParameterTooEarly(definition, name.Span),
                StatementKind.Let => BindLet(definition, name.Span),
                _ => BindSeq(definition, name.Span),
            };
        }

        if (Builtins.Contains(name.Name))
        {
            return name.Name is "on" or "off" or "serial" or "parallel"
                ? Error2(SeqLanguageDiagnostics.Expected, name.Span, $"'{name.Name}(...)'", $"'{name.Name}' without arguments")
                : Error2(SeqLanguageDiagnostics.Expected, name.Span, $"'{name.Name}(...)' (no space before '(')", $"'{name.Name}' without arguments");
        }

        Error(SeqLanguageDiagnostics.UnknownName, name.Span, name.Name);
        return ErrorValue.Instance;
    }

    private SeqValue ParameterTooEarly(Definition definition, TextSpan span)
    {
        // A parameter's value refers to another parameter (or to itself).
        if (definition.State == DefinitionState.Binding)
        {
            return Recursion(definition.Statement.Name!, span);
        }

        Error(SeqLanguageDiagnostics.ParameterExpression, span, $"a parameter's value cannot depend on parameter '{definition.Statement.Name}'");
        return ErrorValue.Instance;
    }

    private ErrorValue Error2(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        Error(descriptor, span, args);
        return ErrorValue.Instance;
    }
}
