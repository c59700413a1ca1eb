/** The program doc. */
include "inc/shared.thrift"
cpp_include "<vector>"
namespace netstd Kiln.Test.Features
namespace * kiln.features
namespace py.twisted kiln.twisted (anno = "x")

typedef i32 MyInt (positive)
typedef list<map<string, set<binary>>> Nested;
typedef shared.Id SharedId,

enum Color {
  RED,
  GREEN = 5,
  /** Comes after green. */
  BLUE (note = "implicit 6");
  NEGATIVE = -0x10
} (enum.anno = "1")

const i8 SMALL = -128
const i16 MEDIUM = 0x7FFF;
const i64 BIG = 9007199254740993
const double PI = 3.14159
const double RATIO = 2
const bool YES = true
const string NAME = 'it\'s "quoted"'
const Color FAVOURITE = Color.GREEN
const Color BY_VALUE = 6
const i32 COLOR_NUMBER = Color.BLUE
const list<i32> PRIMES = [2, 3; 5, 7]
const set<string> TAGS = ["a", "b"]
const map<string, list<Color>> PALETTE = { "warm": [Color.RED], "cool": [Color.GREEN, Color.BLUE] }
const MyInt ALIASED = 42
const shared.Thing DEFAULT_THING = { "id": 7, "label": "seven" }
const i32 COPY = shared.ANSWER
const Point ORIGIN = { "x": 0, "y": 0, "tags": { "k": "v" } }

struct Point {
  1: required double x = 0,
  2: required double y;
  3: optional map<string, string> tags
  4: i64 & ref_field
  5: list<i32> cpp_type "std::vector<int>" numbers (field.anno)
} (struct.anno = "yes")

union Shape {
  1: Point point
  2: list<Point> polygon = []
}

exception Oops {
  1: string message,
  2: i32 code = shared.ANSWER
}

/**
 * A service.
 * It has two lines.
 */
service Base {
  void ping()
}

service Main extends Base {
  /** Adds. */
  i32 add(1: i32 a, 2: i32 b = 5) throws (1: Oops oops, 2: shared.SharedError shared),
  oneway void fire(1: Point where);
  map<string, Point> (map.anno = "m") lookup(1: string key) (fn.anno = "f")
  shared.Thing get(1: SharedId id, 2: uuid token, 3: i8 tiny)
}

service FromShared extends shared.SharedService {
  void extra()
}
