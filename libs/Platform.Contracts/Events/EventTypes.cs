namespace Platform.Contracts.Events;

/// <summary>CloudEvents <c>type</c> names: <c>io.platform.{kind}.{action}</c>.</summary>
public static class EventTypes
{
    public const string Namespace = "io.platform";

    /// <summary><c>io.platform.pod.updated</c> from kind <c>Pod</c> and action <c>updated</c>.</summary>
    public static string For(string kind, string action) =>
        $"{Namespace}.{kind.ToLowerInvariant()}.{action.ToLowerInvariant()}";
}
