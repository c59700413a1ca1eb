include "inc/shared.thrift"
include "inc/missing.thrift"
include "inc/cycle_a.thrift"

struct UsesIncludes {
  1: shared.Thing ok
  2: shared.Thig typo
  3: missing.Anything quiet
  4: shared.SharedService service_as_type
}

const i32 FROM_SHARED = shared.ANSWER
const i32 NOT_THERE = shared.QUESTION
