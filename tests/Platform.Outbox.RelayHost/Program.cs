// A process that runs only the outbox relay, so tests can kill -9 it in the middle of a batch.
// Configuration: ConnectionStrings__Platform, Kafka__BootstrapServers, Outbox__BatchSize.
using Microsoft.Extensions.Hosting;
using Platform.EventBus;
using Platform.Outbox;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddEventBus();
builder.Services.AddPlatformDatabase(builder.Configuration);
builder.Services.AddOutboxRelay();
await builder.Build().RunAsync();
