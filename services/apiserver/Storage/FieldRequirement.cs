namespace Platform.ApiServer.Storage;

internal sealed record FieldRequirement(string Field, bool Equal, string Value);
