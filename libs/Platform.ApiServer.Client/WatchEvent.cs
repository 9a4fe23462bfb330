namespace Platform.ApiServer.Client;

/// <summary>One line of a <c>?watch=true</c> stream: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c> (or <c>BOOKMARK</c>) and the object.</summary>
public sealed record WatchEvent<T>(string Type, T Object)
{
    public bool IsDeleted => Type == "DELETED";
}
