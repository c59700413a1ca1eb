struct Node {
  1: Nod nxt
  2: Node self_ok
  3: Svc not_a_type
  4: inc.Missing through_missing_include
  5: Later forward_ok
}

typedef A B
typedef B C
typedef C A

typedef Loop Loop

struct Later {}

service Svc {}

struct Node {}
service Node {}
