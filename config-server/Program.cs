using Platform.ConfigServer;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:8888");
builder.AddPlatformDefaults();
builder.AddConfigServer();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapConfigServerApi();
app.Run();
