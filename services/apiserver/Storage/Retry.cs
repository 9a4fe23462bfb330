using Npgsql;

namespace Platform.ApiServer.Storage;

/// <summary>
/// Reruns a whole transaction when Postgres aborted it for a deadlock or a serialization failure, or when its grouped
/// write found the object changed since it was read (<see cref="StaleGroupedWrite"/>).
/// </summary>
internal static class Retry
{
    public static Task<T> OnTransientAsync<T>(Func<Task<T>> transaction) => OnTransientAsync(_ => transaction());

    /// <summary>As above; the transaction is told whether its write may join a group (<see cref="GroupCommitter"/>): not after it found its object changed.</summary>
    public static async Task<T> OnTransientAsync<T>(Func<bool, Task<T>> transaction)
    {
        var grouped = true;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction(grouped);
            }
            catch (StaleGroupedWrite) when (attempt < 5)
            {
                grouped = false;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)));
            }
        }
    }
}
