namespace Platform.ConfigServer.Tests.Support;

/// <summary>The options a sample application binds from section <c>orders</c>.</summary>
public sealed class OrdersOptions
{
    public string? Greeting { get; set; }
    public int Size { get; set; }
}
