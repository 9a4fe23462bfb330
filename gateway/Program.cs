using Platform.Gateway;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddGateway();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapGateway();
app.Run();
