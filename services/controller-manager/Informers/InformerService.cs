using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Informers;

/// <summary>Lists every followed kind once at start (the list of list-then-watch); Kafka events do the rest.</summary>
internal sealed partial class InformerService(Informers informers, HttpClient http, TimeProvider time, ILogger<InformerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        foreach (var kind in informers.Kinds)
        {
            while (true)
            {
                try
                {
                    var text = await http.GetStringAsync(kind.CollectionPath(null), stoppingToken);
                    var list = JsonNode.Parse(text)!;
                    var count = 0;
                    foreach (var item in list["items"]!.AsArray())
                    {
                        informers.Apply(kind, System.Text.Encoding.UTF8.GetBytes(item!.ToJsonString()), null, deleted: false);
                        count++;
                    }
                    Listed(kind.Plural, count);
                    break;
                }
                catch (HttpRequestException ex)
                {
                    ListFailed(kind.Plural, ex.Message, delay);
                    await Task.Delay(delay, time, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }
        informers.MarkSynced();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "listed {Count} {Plural}")]
    private partial void Listed(string plural, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "listing {Plural} failed: {Error}; retrying in {Delay}")]
    private partial void ListFailed(string plural, string error, TimeSpan delay);
}
