using Platform.Discovery;
using Platform.Discovery.Api;
using Platform.Discovery.Dashboard;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// Eureka's well-known port unless --urls / ASPNETCORE_URLS say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:8761");
builder.AddPlatformDefaults();
builder.AddDiscoveryServer();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapEurekaApi();
app.MapDiscoveryDashboard();
app.Run();
