namespace Platform.Gateway.Configuration;

internal static class GatewayInstance
{
    /// <summary>
    /// Names this gateway's own consumer groups: <c>Gateway:InstanceId</c>, else host name and a random suffix. Each
    /// gateway instance is a group of its own, since every instance must see every event.
    /// </summary>
    public static string Id(IConfiguration configuration) =>
        configuration["Gateway:InstanceId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(Environment.MachineName.Length + 9, 60)];
}
