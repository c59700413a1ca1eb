namespace netstd Kiln.Test.Shared

typedef i64 Id

const i32 ANSWER = 42

struct Thing {
  1: Id id
  2: string label
}

exception SharedError {
  1: string why
}

service SharedService {
  void shared_ping()
}
