enum Duplicates {
  A = 1,
  B = 1,
  A
}

enum TooBig {
  X = 2147483648
}

enum Overflow {
  MAX = 2147483647,
  NEXT
}

enum Empty {}
