// No namespace: types live in the global namespace, output at the top of the folder.
struct Loose { 1: i32 value }
