struct S {}
include "inc/shared.thrift"
namespace netstd Late
struct T { 1: shared.Thing t }
