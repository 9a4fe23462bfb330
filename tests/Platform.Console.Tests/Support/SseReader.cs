using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Console.Tests.Support;

/// <summary>Reads a text/event-stream as a browser's EventSource does: <c>data:</c> lines up to a blank line make one message.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _cts = new();

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public List<JsonObject> Seen { get; } = [];

    public static async Task<SseReader> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(response, await response.Content.ReadAsStreamAsync());
        // The stream opens with a comment: the subscription exists once it arrived.
        Assert.StartsWith(":", await reader._reader.ReadLineAsync());
        return reader;
    }

    /// <summary>The next message matching <paramref name="match"/>, every message read on the way kept in <see cref="Seen"/>.</summary>
    public async Task<JsonObject> NextAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        cts.CancelAfter(timeout);
        var data = new StringBuilder();
        try
        {
            while (await _reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
                else if (line.Length == 0 && data.Length > 0)
                {
                    var e = (JsonObject)JsonNode.Parse(data.ToString())!;
                    data.Clear();
                    Seen.Add(e);
                    if (match(e)) return e;
                }
            }
        }
        catch (OperationCanceledException) when (!_cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no matching event within {timeout.TotalSeconds}s; seen: {string.Join(" | ", Seen.Select(s => s.ToJsonString()))}");
        }
        throw new InvalidOperationException("the stream ended");
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _reader.Dispose();
        _response.Dispose();
        _cts.Dispose();
    }
}
