namespace Platform.Discovery.Registry;

/// <summary>Result of a heartbeat or status change: 200, 404 (client must re-register) or 409 (peer is behind).</summary>
internal enum RenewOutcome
{
    Ok,
    NotFound,
    Conflict,
}
