// Shared by Kiln and thrift 0.17 in the wire-compatibility test: no uuid (thrift 0.17 has none)
// and no binary constant (thrift's netstd output for one does not compile).
namespace netstd Kiln.Test.Wire

enum Suit { CLUBS = 1, DIAMONDS = 2, HEARTS = 3, SPADES = 4 }

typedef i64 Timestamp
typedef list<Card> Hand

struct Card {
  1: required Suit suit,
  2: required i8 rank,
}

struct Scalars {
  1: bool b,
  2: i8 i8v,
  3: i16 i16v,
  4: i32 i32v,
  5: i64 i64v,
  6: double dv,
  7: string s,
  8: binary bin,
  9: Timestamp at,
  10: optional string maybe,
  11: required i32 must,
  12: string withDefault = "default",
  13: Suit suit = Suit.HEARTS,
}

struct Nested {
  1: list<Card> cards,
  2: set<string> names,
  3: map<string, Card> byName,
  4: map<Suit, list<map<i32, set<i64>>>> deep,
  5: Hand hand,
  6: list<binary> blobs,
  7: Scalars scalars,
  8: map<i16, double> ratios,
}

union Pick {
  1: Card card,
  2: string label,
  3: i64 number,
}

exception Problem {
  1: string what,
  2: i32 code,
}

struct WithUnion {
  1: Pick pick,
  2: list<Pick> picks,
  3: Problem problem,
}
