using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Tests.Leader;

/// <summary>
/// One Lease answered in memory; a GET can be made to take time on the fake clock (the answer is read when the
/// request is sent and arrives <see cref="GetLatency"/> later), and every write is counted.
/// </summary>
internal sealed class SlowLeaseApi(FakeTimeProvider time, Lease lease) : HttpMessageHandler
{
    public TimeSpan GetLatency { get; set; }
    public int Writes { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            var answer = lease;
            time.Advance(GetLatency);
            return Json(answer);
        }
        Writes++;
        lease = JsonSerializer.Deserialize<Lease>(await request.Content!.ReadAsStringAsync(cancellationToken), ResourceJson.Options)!;
        lease = lease with { Metadata = lease.Metadata with { ResourceVersion = $"{int.Parse(lease.Metadata.ResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1}" } };
        return Json(lease);
    }

    private static HttpResponseMessage Json(Lease lease) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(JsonSerializer.Serialize(lease, ResourceJson.Options), Encoding.UTF8, "application/json"),
    };
}
