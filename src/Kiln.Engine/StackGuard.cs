using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Kiln.Engine;

/// <summary>
/// Queries call queries, so a chain of N dependent queries is N nested calls. When the
/// current thread's stack runs low, the rest of the chain continues on a fresh thread with a
/// large stack while the current one waits; depth is then bounded by memory, not by 1 MB.
/// </summary>
internal static class StackGuard
{
    private const int FreshStackSize = 64 * 1024 * 1024;

    public static bool HasRoom => RuntimeHelpers.TryEnsureSufficientExecutionStack();

    public static TResult RunOnFreshStack<TState, TResult>(Func<TState, TResult> function, TState state)
    {
        TResult result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = function(state);
                }
#pragma warning disable CA1031 // The exception is rethrown on the waiting thread.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            FreshStackSize)
        {
            IsBackground = true,
            Name = "Kiln.Engine deep query chain",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
