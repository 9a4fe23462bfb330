using Platform.ControllerManager;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddControllerManager();

var app = builder.Build();
app.MapPlatformDefaults();
app.Run();
