using Npgsql;

namespace Platform.ApiServer.Storage;

/// <summary>Reruns a whole transaction when Postgres aborted it for a deadlock or a serialization failure.</summary>
internal static class Retry
{
    public static async Task<T> OnTransientAsync<T>(Func<Task<T>> transaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)));
            }
        }
    }
}
