// kiln-options: netstd:union,pascal,async_postfix,no_deepcopy
namespace netstd Kiln.Test.Options

struct snake_case_struct {
  1: i32 some_field,
  2: string another_long_name,
  3: required list<string> req_list,
}

union Value {
  1: i32 int_value,
  2: string string_value,
  3: snake_case_struct struct_value,
  4: list<Value> list_value,
}

service Async_Service {
  Value get_value(1: i32 some_arg),
  void put_value(1: Value value),
}
