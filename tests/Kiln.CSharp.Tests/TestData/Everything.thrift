namespace netstd Kiln.Test.Everything

typedef i64 UserId
typedef binary Blob
typedef list<string> Names
typedef Color Colour

enum Color { RED = 1, GREEN, BLUE = 10 }
enum Empty {}

const i8 C_I8 = -8
const i16 C_I16 = 16
const i32 C_I32 = 32
const i64 C_I64 = 64000000000
const double C_DOUBLE = 3.5
const double C_DOUBLE_INT = 3
const bool C_BOOL = true
const string C_STRING = "he said \"hi\"\n"
const binary C_BINARY = "bytes"
const Color C_COLOR = Color.GREEN
const Colour C_COLOUR = Color.BLUE
const list<i32> C_LIST = [1, 2, 3]
const set<string> C_SET = ["a", "b"]
const map<string, i32> C_MAP = {"one": 1, "two": 2}
const map<i32, list<string>> C_NESTED = {1: ["x"], 2: []}
const UserId C_USER = 42

struct Point { 1: i32 x, 2: i32 y }
const Point C_POINT = {"x": 1, "y": 2}

# A container value that names a constant is empty in thrift 0.17's output (NetstdQuirks.ContainerNamingAConstantStartsEmpty).
const list<i32> C_LIST_COPY = C_LIST
const list<set<string>> C_SETS = [C_SET, ["c"]]

struct NamedDefaults {
  1: list<i32> numbers = C_LIST,
  2: map<string, i32> byName = C_MAP,
  3: list<set<string>> sets = [C_SET, ["d"]],
  4: list<i32> written = [7],
}

struct AllTypes {
  1: bool b = true,
  2: i8 i8f = 1,
  3: i16 i16f = 2,
  4: i32 i32f = 3,
  5: i64 i64f = 4,
  6: double d = 5.5,
  7: string s = "str",
  8: binary bin,
  10: Color color = Color.RED,
  11: UserId user,
  12: Blob blob,
  13: Names names,
  14: list<Point> points,
  15: set<i32> ints,
  16: map<string, Point> byName,
  17: list<map<i32, set<string>>> nested,
  18: Point point,
  19: required string req,
  20: optional string opt,
  21: required i32 reqInt,
  22: optional i32 optInt = 7,
  23: list<string> defList = ["a", "b"],
  24: map<Color, list<Color>> enumMap,
  25: Colour colour,
  26: optional Point optPoint = {"x": 5},
}

struct Keywords {
  1: i32 lock,
  2: string params,
  3: bool event,
  4: i32 operator,
  5: i32 checked,
  6: i32 base,
  7: i32 ref,
}

union Shape {
  1: Point point,
  2: string name,
  3: i32 sides,
}

exception Oops {
  1: string message,
  2: i32 code,
}

exception Other { 1: string why }

service Base {
  void ping(),
  i32 add(1: i32 a, 2: i32 b),
}

service Calc extends Base {
  oneway void fire(1: string what),
  Point make(1: i32 x, 2: i32 y) throws (1: Oops oops, 2: Other other),
  void check(1: required string lock, 2: Color c) throws (1: Oops oops),
  map<string, list<Point>> all(),
  binary raw(1: binary data),
  Shape shape(1: Shape s),
}
