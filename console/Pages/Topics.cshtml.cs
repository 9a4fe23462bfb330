using Confluent.Kafka;
using Platform.Console.Apiserver;
using Platform.Console.Kafka;

namespace Platform.Console.Pages;

/// <summary>
/// Topics: the Kafka cluster's topics (partitions, replication, in-sync replicas, retained messages, configs set on
/// them) and its consumer groups with lag per partition. Kafka is read with the console's own connection, so the page
/// first asks the apiserver, with the user's token, whether the user may <c>list kafkatopics.kafka.platform.io</c> in
/// every namespace (the cluster's topics are every namespace's); only then is it shown. No message is ever read.
/// </summary>
internal sealed class TopicsModel(UserApi api, KafkaInspector kafka) : ConsolePage(api)
{
    public string? Error { get; private set; }
    public KafkaSnapshot Snapshot { get; private set; } = new([], [], null, null);

    /// <summary><c>?q=</c>: only topics and groups whose name contains it.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary><c>?group=</c>: a consumer group to look up by name (also when the brokers cannot list groups).</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "group")]
    public string? Group { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!await AccessReview.AllowsAsync(Api.Client, "list", "kafka.platform.io", "kafkatopics", null, ct))
        {
            Error = $"User \"{Api.UserName}\" may not see the Kafka cluster: it needs list on kafkatopics.kafka.platform.io in every namespace.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var group = Group?.Trim();
        if (group is { Length: > 255 })
        {
            Error = "group: a consumer group id is at most 255 characters";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        try
        {
            var s = await kafka.ReadAsync(string.IsNullOrEmpty(group) ? [] : [group], ct);
            var q = Query?.Trim();
            Snapshot = string.IsNullOrEmpty(q) ? s : s with
            {
                Topics = [.. s.Topics.Where(t => t.Name.Contains(q, StringComparison.Ordinal))],
                Groups = [.. s.Groups.Where(g => g.Group == group || g.Group.Contains(q, StringComparison.Ordinal) || g.Partitions.Any(p => p.Topic.Contains(q, StringComparison.Ordinal)))],
            };
        }
        catch (KafkaException ex)
        {
            Error = "Kafka cannot be read: " + ex.Error.Reason;
            Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }
}
