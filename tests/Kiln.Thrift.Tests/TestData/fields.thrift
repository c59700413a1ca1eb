struct Ids {
  1: i32 a
  1: i32 duplicate_id
  2: i32 a
  i32 implicit
  i32 implicit2
  0: i32 zero
  -5: i32 negative
  40000: i32 too_big
}

union U {
  1: required i32 a
  2: i32 b = 1
  3: optional i32 c = 2
}

service S {
  void f(1: optional i32 a, 2: required i32 b)
}

struct Keywords {
  1: i32 function
  2: string class
}

struct Dotted.Name {}
