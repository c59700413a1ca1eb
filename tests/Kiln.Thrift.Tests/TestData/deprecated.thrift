cpp_namespace foo.bar
namespace smalltalk.category Foo
namespace foo kiln.foo

senum Old { "a", "b" }

struct S {
  1: slist s
  2: byte b
  3: byte c
  4: list<byte> bytes
}

service Svc {
  async void go()
}
