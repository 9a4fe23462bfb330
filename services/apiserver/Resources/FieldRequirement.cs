namespace Platform.ApiServer.Resources;

internal sealed record FieldRequirement(string Field, bool Equal, string Value);
