using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.RemoteCommand;

/// <summary>
/// The <c>metav1.Status</c> a server writes on <see cref="StreamChannel.Error"/> when the command ends (protocol v4 and
/// later), and its reading on the client side, as client-go's <c>errorDecoderV4</c> reads it.
/// </summary>
public static class RemoteCommandStatus
{
    public const string NonZeroExitCodeReason = "NonZeroExitCode";
    public const string ExitCodeCauseType = "ExitCode";

    public static byte[] Success() => Serialize(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" });

    /// <summary>A command that exited with a code other than 0: kubectl exits with that code and prints "command terminated with exit code N".</summary>
    public static byte[] ExitCode(long code) => Serialize(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = $"command terminated with non-zero exit code: exit status {code}",
        ["reason"] = NonZeroExitCodeReason,
        ["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = ExitCodeCauseType, ["message"] = code.ToString(CultureInfo.InvariantCulture) }),
        },
    });

    /// <summary>The stream could not run the command (the container stopped, the runtime failed): kubectl prints the message.</summary>
    public static byte[] Failure(string message, string reason = "InternalError", int code = 500) => Serialize(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });

    /// <summary>
    /// The outcome a client reports: exit code 0 for Success, the code of a NonZeroExitCode failure, or null and the
    /// message for any other failure. Empty input (a server that closed without a status) counts as success.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a Status.</exception>
    public static (int? ExitCode, string? Message) Read(ReadOnlySpan<byte> json)
    {
        if (json.Trim(" \r\n\t"u8).IsEmpty) return (0, null);
        JsonObject status;
        try
        {
            status = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the error channel carried no JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the error channel carried no Status: {ex.Message}", ex);
        }
        var message = (string?)status["message"];
        switch ((string?)status["status"])
        {
            case "Success":
                return (0, null);
            case "Failure" when (string?)status["reason"] == NonZeroExitCodeReason:
                var cause = (status["details"]?["causes"] as JsonArray)?.FirstOrDefault(c => (string?)c?["reason"] == ExitCodeCauseType);
                return byte.TryParse((string?)cause?["message"], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                    ? (code, message)
                    : throw new InvalidDataException("a NonZeroExitCode status without an ExitCode cause of 0-255");
            case "Failure":
                return (null, message ?? "the command failed");
            default:
                throw new InvalidDataException("the error channel's Status has no status of Success or Failure");
        }
    }

    private static byte[] Serialize(JsonObject status) => JsonSerializer.SerializeToUtf8Bytes(status);
}
