namespace Platform.Console.Live;

/// <summary>
/// What the live stream shows of one CloudEvent: never the object itself (a ConfigMap's data, a Pod's env), only what
/// happened to which object, and for a Kubernetes Event its reason and message.
/// </summary>
/// <param name="Seq">Position in this console's stream (the SSE id: a reconnecting page resumes after it).</param>
/// <param name="Group">API group of <paramref name="Plural"/>, for the access check.</param>
/// <param name="Namespace">Null for cluster-scoped kinds.</param>
/// <param name="Involved">For an Event: the object it is about, <c>Kind/name</c>.</param>
/// <param name="Severity">For an Event: <c>Normal</c> or <c>Warning</c>.</param>
internal sealed record LiveEvent(
    long Seq, string Id, string Type, string Action, string Kind, string Plural, string Group, string? Namespace, string Name,
    DateTimeOffset Time, string? Involved = null, string? Reason = null, string? Message = null, string? Severity = null);
