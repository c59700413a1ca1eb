// kiln-options: netstd:net6
// Nullable reference annotations: T? where a value may be absent, initializers for required fields.
namespace netstd Kiln.Test.Net6

enum Mode { OFF = 0, ON = 1 }

struct Inner { 1: i32 x }

exception Broken { 1: string message, 2: required string detail }

struct Required {
  1: required string s,
  2: required binary b,
  3: required bool flag,
  4: required i8 tiny,
  5: required i16 small,
  6: required i32 number,
  7: required i64 big,
  8: required double real,
  9: required Mode mode,
  10: required Inner inner,
  11: required list<string> names,
  12: required set<i32> ids,
  13: required map<string, Inner> byName,
  14: required i32 withDefault = 7,
  15: required string textDefault = "hi",
  16: required Mode modeDefault = Mode.ON,
  17: required Broken broken,
  18: required uuid id,
}

struct Optional {
  1: string s,
  2: optional binary b,
  3: optional Inner inner,
  4: list<Inner> inners,
  5: map<i32, list<string>> nested,
  6: optional i32 number,
  7: Mode mode,
}

union Choice { 1: string text, 2: Inner inner, 3: i32 number }

const list<string> NAMES = ["a", "b"]
const string GREETING = "hello"

service Nullables {
  Inner find(1: string name, 2: required string key, 3: i32 count) throws (1: Broken broken),
  void store(1: Inner inner, 2: list<Inner> more, 3: binary blob),
  i32 count(1: Mode mode),
  oneway void note(1: string text),
}
