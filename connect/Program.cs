using Platform.Connect;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// Kafka Connect's well-known REST port unless --urls / ASPNETCORE_URLS say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:8083");
builder.AddPlatformDefaults();
builder.AddConnectWorker();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapConnectApi();
app.Run();
