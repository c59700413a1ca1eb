include "shared.thrift"

namespace netstd Sample.Calc

exception DivideByZero {
  1: string reason
}

service Calculator {
  i32 add(1: shared.Pair pair)
  i32 divide(1: shared.Pair pair) throws (1: DivideByZero oops)
}
