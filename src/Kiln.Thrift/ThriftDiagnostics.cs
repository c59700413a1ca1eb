using Kiln.Text;

namespace Kiln.Thrift;

/// <summary>
/// Every diagnostic the Thrift front end reports: one table, explicit codes that are never
/// reused (a retired code stays here as a comment), each message next to its code. Messages
/// follow thrift 0.17's wording where thrift has one, so users recognise them.
/// </summary>
public static class ThriftDiagnostics
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    // Lexer: 0001-0019.
    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("KTH0001", Error, "Unexpected character '{0}'.");
    public static readonly DiagnosticDescriptor UnterminatedString = new("KTH0002", Error, "Unterminated string literal: the file ends before the closing quote.");
    public static readonly DiagnosticDescriptor NewlineInString = new("KTH0003", Error, "String literal runs past the end of the line.");
    public static readonly DiagnosticDescriptor BadEscape = new("KTH0004", Error, "Invalid escape sequence '\\{0}' in a string literal (allowed: \\n \\r \\t \\\" \\' \\\\).");
    public static readonly DiagnosticDescriptor UnterminatedComment = new("KTH0005", Error, "Unterminated comment: the file ends before '*/'.");
    public static readonly DiagnosticDescriptor IntegerTooBig = new("KTH0006", Error, "This integer is too big: \"{0}\".");
    public static readonly DiagnosticDescriptor InvalidNumber = new("KTH0007", Error, "Invalid number '{0}'.");
    public static readonly DiagnosticDescriptor NoLongerSupported = new("KTH0009", Error, "\"{0}\" is no longer supported, use \"{1}\" instead.");
    public static readonly DiagnosticDescriptor UnsupportedNamespaceDeclaration = new("KTH0010", Error, "Unsupported declaration '{0}'. Use 'namespace {1}' instead.");
    public static readonly DiagnosticDescriptor ByteAlias = new("KTH0011", Warning, "The \"byte\" type is a compatibility alias for \"i8\". Use \"i8\" to emphasize the signedness of this type.");
    public static readonly DiagnosticDescriptor AsyncDeprecated = new("KTH0012", Warning, "\"async\" is deprecated. It is called \"oneway\" now.");

    // Parser: 0020-0049.
    public static readonly DiagnosticDescriptor Expected = new("KTH0020", Error, "Expected {0} but found {1}.");
    public static readonly DiagnosticDescriptor ExpectedDefinition = new("KTH0021", Error, "Expected a definition (const, typedef, enum, struct, union, exception or service) but found {0}.");
    public static readonly DiagnosticDescriptor HeaderAfterDefinition = new("KTH0022", Error, "'{0}' must come before all definitions.");
    public static readonly DiagnosticDescriptor NestingTooDeep = new("KTH0023", Error, "Nesting is too deep (more than {0} levels).");
    public static readonly DiagnosticDescriptor DottedName = new("KTH0024", Error, "Identifier {0} can't have a dot.");
    public static readonly DiagnosticDescriptor ExpectedType = new("KTH0025", Error, "Expected a type but found {0}.");
    public static readonly DiagnosticDescriptor ExpectedValue = new("KTH0026", Error, "Expected a constant value but found {0}.");
    public static readonly DiagnosticDescriptor ListOfBytes = new("KTH0027", Warning, "Consider using the more efficient \"binary\" type instead of \"list<byte>\".");
    public static readonly DiagnosticDescriptor LargeConstant = new("KTH0028", Warning, "64-bit constant \"{0}\" may not work in all languages.");
    public static readonly DiagnosticDescriptor NoFieldId = new("KTH0029", Warning, "No field key specified for {0}, resulting protocol may have conflicts or not be backwards compatible! (it gets {1})");
    public static readonly DiagnosticDescriptor NonPositiveFieldId = new("KTH0030", Warning, "Nonpositive value ({0}) not allowed as a field key.");
    public static readonly DiagnosticDescriptor FieldIdOutOfRange = new("KTH0031", Warning, "Field key ({0}) exceeds allowed range (-32768..32767).");
    public static readonly DiagnosticDescriptor OptionalInArguments = new("KTH0032", Warning, "optional keyword is ignored in argument lists.");
    public static readonly DiagnosticDescriptor EnumValueTooBig = new("KTH0033", Error, "64-bit value supplied for enum {0} will be truncated.");
    public static readonly DiagnosticDescriptor EnumValueOverflow = new("KTH0034", Error, "enum value overflow at enum {0}");

    // Binder: 0050-0099.
    // thrift 0.17 only warns; using a name from the missing file is the error.
    public static readonly DiagnosticDescriptor IncludeNotFound = new("KTH0050", Warning, "Could not find include file {0}.");
    public static readonly DiagnosticDescriptor IncludeCycle = new("KTH0051", Error, "Include cycle: {0}.");
    public static readonly DiagnosticDescriptor TypeNotDefined = new("KTH0052", Error, "Type \"{0}\" not defined.{1}");
    public static readonly DiagnosticDescriptor TypeAlreadyDefined = new("KTH0053", Error, "Type \"{0}\" is already defined.");
    public static readonly DiagnosticDescriptor ConstantAlreadyDefined = new("KTH0054", Error, "Constant \"{0}\" is already defined.");
    public static readonly DiagnosticDescriptor FieldIdAlreadyUsed = new("KTH0055", Error, "\"{0}: {1}\" - field identifier has already been used by \"{2}\".");
    public static readonly DiagnosticDescriptor FieldNameAlreadyUsed = new("KTH0056", Error, "\"{0}: {1}\" - field name has already been used.");
    public static readonly DiagnosticDescriptor EnumValueAlreadyDefined = new("KTH0057", Error, "Enum {0}.{1} is already defined!");
    public static readonly DiagnosticDescriptor FunctionAlreadyDefined = new("KTH0058", Error, "Function {0} is already defined in service {1}.");
    public static readonly DiagnosticDescriptor ServiceNotDefined = new("KTH0059", Error, "Service \"{0}\" has not been defined.{1}");
    public static readonly DiagnosticDescriptor ExtendsNotService = new("KTH0060", Error, "Service \"{0}\" has not been defined: \"{0}\" is {1}.");
    public static readonly DiagnosticDescriptor ServiceUsedBeforeDeclared = new("KTH0061", Error, "Service \"{0}\" must be defined before it is extended.");
    public static readonly DiagnosticDescriptor ThrowsNonException = new("KTH0062", Error, "Throws clause may not contain non-exception types: \"{0}\" is {1}.");
    public static readonly DiagnosticDescriptor OnewayNotVoid = new("KTH0063", Warning, "Oneway methods should return void ({0}).");
    public static readonly DiagnosticDescriptor OnewayThrows = new("KTH0064", Error, "Oneway methods can't throw exceptions ({0}).");
    public static readonly DiagnosticDescriptor TypedefCycle = new("KTH0065", Error, "Typedef cycle: {0}.");
    public static readonly DiagnosticDescriptor ConstantNotDefined = new("KTH0066", Error, "No enum value or constant found named \"{0}\"!{1}");
    public static readonly DiagnosticDescriptor ConstantUsedBeforeDeclared = new("KTH0067", Error, "Constant \"{0}\" is used before it is declared.");
    public static readonly DiagnosticDescriptor ValueTypeMismatch = new("KTH0068", Error, "type error: \"{0}\" was declared as {1}, but the value is {2}.");
    public static readonly DiagnosticDescriptor IntegerOutOfRange = new("KTH0069", Error, "type error: \"{0}\" was declared as {1}, but {2} is outside {3}..{4}.");
    public static readonly DiagnosticDescriptor NotAnEnumMember = new("KTH0070", Error, "type error: \"{0}\" was declared as enum {1}, but {2} is not a value of that enum.");
    public static readonly DiagnosticDescriptor NoEnumMemberWithValue = new("KTH0071", Error, "Couldn't find a named value in enum {0} for value {1}.");
    public static readonly DiagnosticDescriptor StructHasNoField = new("KTH0072", Error, "No field named \"{0}\" was found in struct of type \"{1}\".");
    public static readonly DiagnosticDescriptor StructKeyNotString = new("KTH0073", Error, "type error: \"{0}\" struct key must be a string naming a field.");
    public static readonly DiagnosticDescriptor UnionSecondDefault = new("KTH0074", Error, "Field {0} provides another default value for union {1}.");
    public static readonly DiagnosticDescriptor UnionRequiredness = new("KTH0075", Warning, "Union {0} field {1}: union members must be optional, ignoring specified requiredness.");
    public static readonly DiagnosticDescriptor ReservedKeyword = new("KTH0076", Error, "Cannot use reserved language keyword: \"{0}\".");
    public static readonly DiagnosticDescriptor UnknownNamespaceLanguage = new("KTH0077", Warning, "No generator named '{0}' could be found!");
    public static readonly DiagnosticDescriptor ServiceIsNotAType = new("KTH0078", Error, "\"{0}\" is a service, not a type.");
    public static readonly DiagnosticDescriptor UnqualifiedEnumValue = new("KTH0079", Error, "error: identifier {0} is unqualified! (write {1}.{0})");
    public static readonly DiagnosticDescriptor TypeNestingTooDeep = new("KTH0080", Error, "Type \"{0}\" nests too deeply through typedefs (more than {1} levels).");
    public static readonly DiagnosticDescriptor DuplicateMapKey = new("KTH0081", Warning, "Duplicate key {0} in map constant \"{1}\"; the last value wins.");
    public static readonly DiagnosticDescriptor EnumValueFromOtherEnum = new("KTH0082", Warning, "\"{0}\" names another enum; thrift takes member {1} of enum {2}, the declared type.");

    // Compiler flags (-strict, --allow-neg-keys): 0083-0085.
    public static readonly DiagnosticDescriptor ImplicitFieldIdStrict = new("KTH0083", Error, "Implicit field keys are deprecated and not allowed with -strict ({0} has no key).");
    public static readonly DiagnosticDescriptor NegativeFieldIdNotAutomatic = new("KTH0084", Warning, "Nonpositive field key ({0}) differs from what would be auto-assigned by thrift ({1}).");
    public static readonly DiagnosticDescriptor UncapturedDocComment = new("KTH0085", Warning, "Uncaptured doctext on line {0}: this doc comment documents nothing.");

    // thrift 0.17 accepts any name as a container value and generates an empty container.
    public static readonly DiagnosticDescriptor ContainerNameNotAConstant = new("KTH0086", Warning, "\"{0}\" is not a {1} constant declared before it; thrift generates an empty {1} here.");

    /// <summary>Every descriptor above, for the table test and for documentation.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        UnexpectedCharacter, UnterminatedString, NewlineInString, BadEscape, UnterminatedComment, IntegerTooBig, InvalidNumber,
        NoLongerSupported, UnsupportedNamespaceDeclaration, ByteAlias, AsyncDeprecated,
        Expected, ExpectedDefinition, HeaderAfterDefinition, NestingTooDeep, DottedName, ExpectedType, ExpectedValue,
        ListOfBytes, LargeConstant, NoFieldId, NonPositiveFieldId, FieldIdOutOfRange, OptionalInArguments, EnumValueTooBig, EnumValueOverflow,
        IncludeNotFound, IncludeCycle, TypeNotDefined, TypeAlreadyDefined, ConstantAlreadyDefined, FieldIdAlreadyUsed, FieldNameAlreadyUsed,
        EnumValueAlreadyDefined, FunctionAlreadyDefined, ServiceNotDefined, ExtendsNotService, ServiceUsedBeforeDeclared, ThrowsNonException,
        OnewayNotVoid, OnewayThrows, TypedefCycle, ConstantNotDefined, ConstantUsedBeforeDeclared, ValueTypeMismatch, IntegerOutOfRange,
        NotAnEnumMember, NoEnumMemberWithValue, StructHasNoField, StructKeyNotString, UnionSecondDefault, UnionRequiredness, ReservedKeyword,
        UnknownNamespaceLanguage, ServiceIsNotAType, UnqualifiedEnumValue, TypeNestingTooDeep, DuplicateMapKey, EnumValueFromOtherEnum,
        ImplicitFieldIdStrict, NegativeFieldIdNotAutomatic, UncapturedDocComment, ContainerNameNotAConstant,
    ];

    /// <summary>
    /// thrift 0.17's level of a warning (the first argument of its <c>pwarning</c>): level 0 is
    /// shown even with <c>-nowarn</c> (a missing include, <c>async</c>), level 2 only with
    /// <c>-strict</c> (an uncaptured doc comment), every other warning is level 1. Kiln's own
    /// warnings (KTH0081, KTH0082) are level 1, so <c>-nowarn</c> silences them too.
    /// </summary>
    public static int WarningLevel(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code == AsyncDeprecated.Code || code == IncludeNotFound.Code)
        {
            return 0;
        }

        return code == UncapturedDocComment.Code ? 2 : 1;
    }
}
