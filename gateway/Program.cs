using Platform.Gateway;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// 8080 unless the launcher or the environment says otherwise (ASPNETCORE_URLS, --urls).
if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:8080");
builder.AddPlatformDefaults();
builder.AddGateway();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapGateway();
app.Run();
