// Included by Kinds.thrift: a file in another namespace.
namespace netstd Kiln.Test.Shared

enum Level { LOW = 0, HIGH = 1 }

struct Tag {
  1: string name,
  2: Level level = Level.LOW,
}

exception SharedError { 1: string reason }

service Pinger {
  void ping(),
}
