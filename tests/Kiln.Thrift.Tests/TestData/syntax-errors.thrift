struct Good1 {
  1: i32 a
}

struct MissingName {
  1: i32
  2: string b
}

struct BadType {
  1: 42 a
  2: i32 fine
}

struct Unclosed {
  1: i32 a

struct AfterUnclosed {
  1: i32 b
}

service S {
  void ok()
  i32 broken(1: i32 a
  void after()
}

; stray

const list<i32> BAD_LIST = [1, 2
const i32 GOOD = 3

const i32 NO_VALUE = ;

enum E { A = , B }

typedef
