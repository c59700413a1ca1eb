namespace Kiln.Protobuf;

/// <summary>protoc's order for <c>--include_imports</c>: every import before the file that imports it.</summary>
public static class ImportOrder
{
    /// <summary>
    /// Calls <paramref name="add"/> for <paramref name="root"/> and its transitive imports in post
    /// order, skipping files already in <paramref name="seen"/>; an explicit stack, so long import
    /// chains cannot overflow the stack.
    /// </summary>
    public static void AddTransitive(LinkedProtoFile root, HashSet<string> seen, Action<LinkedProtoFile> add)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(add);
        if (!seen.Add(root.Path))
        {
            return;
        }

        var stack = new List<(LinkedProtoFile File, int Next)> { (root, 0) };
        while (stack.Count > 0)
        {
            var (file, next) = stack[^1];
            if (next < file.Dependencies.Count)
            {
                stack[^1] = (file, next + 1);
                var dependency = file.Dependencies[next];
                if (dependency != null && seen.Add(dependency.Path))
                {
                    stack.Add((dependency, 0));
                }

                continue;
            }

            stack.RemoveAt(stack.Count - 1);
            add(file);
        }
    }
}
