using Platform.Discovery;
using Platform.Discovery.Api;
using Platform.Discovery.Dashboard;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddDiscoveryServer();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapEurekaApi();
app.MapDiscoveryDashboard();
app.Run();
