/**
 * Types shared by the services of the example.
 */
namespace netstd Kiln.Examples.Shared

/** A key and a value, as stored by the calculator. */
struct SharedStruct {
  1: i32 key
  2: string value
}

service SharedService {
  SharedStruct getStruct(1: i32 key)
}
