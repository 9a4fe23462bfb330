using Platform.Console;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// 8090 unless the launcher or the environment says otherwise (ASPNETCORE_URLS, --urls).
if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:8090");
builder.AddPlatformDefaults();
builder.AddConsole();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapConsole();
app.Run();
