// kiln-options: netstd:serial
// Data contracts without WCF: no [ServiceContract], and (unlike thrift) a using that makes the attributes compile.
namespace netstd Kiln.Test.Serial

struct Record {
  1: string name,
  2: required i64 stamp,
  3: optional map<string, i32> counts,
}

exception Problem { 1: string why }

service Recorder {
  Record read(1: string name) throws (1: Problem problem),
}
