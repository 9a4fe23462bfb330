using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Platform.Config.Client;

namespace Platform.ConfigServer.Bench;

/// <summary>
/// Time from <c>POST /actuator/busrefresh</c> until every one of N .NET config clients (each its own bus
/// consumer group) reads the changed value from its <see cref="IConfiguration"/>.
/// </summary>
internal static class RefreshPropagation
{
    public static async Task<string> MeasureAsync(Uri server, string nativeDir, string bootstrap, string user, string password, int clients, int rounds)
    {
        var configs = new List<ConfigurationManager>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var config = new ConfigurationManager();
                config.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["spring:application:name"] = "orders",
                    ["spring:cloud:config:uri"] = server.ToString(),
                    ["spring:cloud:config:env"] = "dev",
                    ["spring:cloud:config:username"] = user,
                    ["spring:cloud:config:password"] = password,
                    ["spring:cloud:config:failFast"] = "true",
                    ["spring:kafka:bootstrap-servers"] = bootstrap,
                });
                config.AddConfigServer();
                configs.Add(config);
            }
            var providers = configs.Select(c => ((IConfigurationRoot)c).Providers.OfType<ConfigServerConfigurationProvider>().Single()).ToList();
            var ready = Stopwatch.StartNew();
            while (!providers.All(p => p.IsListeningForRefresh))
            {
                if (ready.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("bus listeners were not assigned within 60 s");
                await Task.Delay(50);
            }
            using var http = new HttpClient { BaseAddress = server };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            var times = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var marker = "round-" + round.ToString(CultureInfo.InvariantCulture);
                await File.WriteAllTextAsync(Path.Combine(nativeDir, "orders.yml"), $"orders:\n  page-size: 20\n  marker: {marker}\n");
                var clock = Stopwatch.StartNew();
                (await http.PostAsync("actuator/busrefresh", null)).EnsureSuccessStatusCode();
                while (!configs.All(c => c["orders:marker"] == marker))
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"round {round}: not every client refreshed within 30 s");
                    await Task.Delay(2);
                }
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return string.Create(CultureInfo.InvariantCulture,
                $"refresh propagation to {clients} clients ({rounds} rounds): median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms (target <= 2000 ms)");
        }
        finally
        {
            foreach (var c in configs) c.Dispose();
        }
    }
}
