// kiln-options: netstd:wcf
// WCF contracts: [DataContract]/[DataMember] on structs, [ServiceContract]/[OperationContract]/[FaultContract]
// on the service interface, ShouldSerialize* methods, and a Fault class beside each exception.
namespace netstd Kiln.Test.Wcf

enum Level { LOW = 1, HIGH = 2 }

/** A struct with a doc comment: the attribute goes between the comment and the class. */
struct Item {
  /** The level, documented. */
  1: Level level,
  2: optional string note = "none",
  3: required i32 id,
  4: list<string> tags,
  5: i32 lock,
}

struct OnlyRequired { 1: required i32 a, 2: required string b }

struct Nothing {}

union Either { 1: i32 number, 2: string text }

exception Failure {
  1: required string message,
  2: optional i32 code = 3,
  3: Level level,
}

exception Bare {}

/** The service. */
service Store {
  /** Puts an item. */
  void put(1: Item item) throws (1: Failure failure, 2: Bare bare),
  oneway void ping(),
  Item get(1: i32 id) throws (1: Failure failure),
  list<Item> all(),
}
