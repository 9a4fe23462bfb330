using System.Text.Json.Serialization;

namespace Platform.ConfigServer.Encryption;

/// <summary>The body of <c>GET /encrypt/status</c>, as Spring writes it.</summary>
internal sealed record EncryptionStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);
