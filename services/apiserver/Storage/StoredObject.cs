using System.Text.Json.Nodes;

namespace Platform.ApiServer.Storage;

/// <summary>A row as read: the JSON text is kept so lists can be streamed without re-serializing.</summary>
internal sealed record StoredObject(string Namespace, string Name, Guid Uid, long ResourceVersion, string Json)
{
    private JsonObject? _body;

    /// <summary>A fresh, mutable copy of the object on each call after the first.</summary>
    public JsonObject Body => _body ??= (JsonObject)JsonNode.Parse(Json)!;

    public JsonObject CloneBody() => (JsonObject)JsonNode.Parse(Json)!;
}
