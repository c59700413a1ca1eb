/**
 * A file exercising every kind of type, includes, uuid and C# keywords as names.
 */
namespace * Kiln.Test.Kinds

include "Shared.thrift"
include "Plain.thrift"

typedef Shared.Tag TagAlias
typedef TagAlias TagAlias2
typedef list<map<string, set<i64>>> Deep

/** A struct with doc comments & <markup>. */
struct Holder {
  /** The id. */
  1: required uuid id,
  2: optional uuid maybeId,
  3: list<uuid> ids,
  4: TagAlias2 tag,
  5: Shared.Level level,
  6: Deep deep,
  7: map<Shared.Tag, list<Shared.Level>> byTag,
  8: Plain.Loose loose,
  9: set<binary> blobs,
  10: list<list<list<i8>>> cube,
  11: map<i16, map<i32, map<i64, double>>> numbers,
  12: required list<string> names,
  13: required Shared.Tag requiredTag,
  14: optional bool flag = false,
  15: double ratio = -1.5e10,
  16: i64 big = -9223372036854775808,
  17: string quoted = "tab\tquote\"back\\slash",
}

struct Keywords {
  1: i32 lock,
  2: string params,
  3: bool event,
  4: i32 operator,
  5: i32 checked,
  6: i32 base,
  7: i32 ref,
  8: i32 value,
  9: i32 Isset,
  10: i32 isset,
  11: i32 cancellationToken,
  12: i32 Keywords,
  13: i32 hashcode,
  14: i32 other,
}

exception Failure {
  1: string message,
  2: map<string, string> data,
  3: i32 source,
  4: string helpLink,
}

union Choice {
  1: i32 number,
  2: string text,
  3: Shared.Tag tag,
  4: list<Choice> nested,
}

service Extended extends Shared.Pinger {
  /** Echoes. */
  Holder echo(1: Holder holder) throws (1: Failure failure, 2: Shared.SharedError shared),
  oneway void notify(1: i32 lock, 2: string cancellationToken),
  void nothing(),
  uuid newId(),
  Choice choose(1: required Choice choice, 2: TagAlias tag),
  Deep deep(1: Deep deep),
  i32 operator(1: i32 value) throws (1: Failure failure),
}
