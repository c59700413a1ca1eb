// kiln-options: netstd:wcf,serial,net6,union,pascal
// Every option that changes declarations at once, with a union holding each kind of member.
namespace netstd Kiln.Test.Combined

enum Tone { DARK = 1, LIGHT = 2 }

struct snake_point { 1: i32 x_pos, 2: required i32 y_pos, 3: optional string label_text }

union small_union { 1: i32 count, 2: string word }

union big_union {
  1: string text_value,
  2: binary raw_value,
  3: snake_point point_value,
  4: list<snake_point> point_list,
  5: map<string, i32> counts_map,
  6: Tone tone_value,
  7: small_union nested_union,
  8: double real_value,
}

exception bad_thing { 1: required string error_text, 2: i32 error_code }

service combined_service {
  big_union echo_union(1: big_union value, 2: required string tag_text) throws (1: bad_thing oops),
  snake_point make_point(1: i32 x_pos),
}
