namespace Platform.ApiServer.Storage;

/// <summary>The three kinds of change; the names are the CloudEvents action and, upper-cased, the watch event type.</summary>
internal enum ChangeType
{
    Created,
    Updated,
    Deleted,
}
