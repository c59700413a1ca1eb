const string A = "bad \q escape"
const string B = "runs past
the end"
const i64 HUGE = 99999999999999999999
const i64 HUGE_HEX = 0x1FFFFFFFFFFFFFFFF
struct S { 1: i32 a $ }
const i32 C = 1 /* never closed
