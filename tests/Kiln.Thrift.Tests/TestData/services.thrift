exception E {}
struct NotAnException {}
typedef E AliasOfE

service Base {
  void inherited()
}

service Child extends Base {
  void inherited()
  void own()
  void own()
  oneway i32 returns_value()
  oneway void throws_something() throws (1: E e)
  void bad_throws() throws (1: NotAnException n, 2: i32 code, 3: AliasOfE ok)
}

service ExtendsStruct extends NotAnException {}
service ExtendsLater extends Later {}
service ExtendsMissing extends Bsae {}
service Later {}
