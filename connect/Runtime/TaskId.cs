using System.Text.Json.Serialization;

namespace Platform.Connect.Runtime;

/// <summary>A task's identity as the REST API writes it: <c>{"connector":"name","task":0}</c>.</summary>
internal sealed record TaskId(
    [property: JsonPropertyName("connector")] string Connector,
    [property: JsonPropertyName("task")] int Task)
{
    public override string ToString() => $"{Connector}-{Task}";
}
