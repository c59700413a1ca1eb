enum E { A = 1, B = 2 }
struct S { 1: i32 x, 2: string s }

const i8 TOO_BIG = 128
const i16 TOO_SMALL = -32769
const i32 I32_OVER = 2147483648
const bool NOT_BOOL = 2
const string NOT_STRING = 5
const double NOT_DOUBLE = "x"
const E UNQUALIFIED = A
const E WRONG_MEMBER = E.C
const E NO_SUCH_VALUE = 3
const list<i32> NOT_A_LIST = 5
const map<i32, string> BAD_MAP = { 1: "one", "two": 2 }
const S BAD_STRUCT = { "x": 1, "nope": 2, 3: 4 }
const S NOT_A_MAP = [1]
const i32 USES_LATER = LATER
const i32 LATER = 1
const i32 UNKNOWN = NOPE
const i32 TYPO = LATEr
const string FROM_INT = LATER
const i32 FROM_ENUM = E.B
const i32 DUPLICATE = 1
const i32 DUPLICATE = 2
const map<string, i32> DUPLICATE_KEYS = { "a": 1, "a": 2 }
const list<list<i32>> NESTED_BAD = [[1], ["x"]]
const i8 REF_TOO_BIG = BIG_REF
const i64 BIG_REF = 1000
enum Other { A = 7, B = 8 }
const E OTHER_PREFIX = Other.B
const list<i32> LIST = [1, 2]
const list<i32> LIST_COPY = LIST
const map<i32, list<i32>> NAMED_IN_MAP = { 1: LIST }
