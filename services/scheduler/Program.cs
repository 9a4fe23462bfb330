using Platform.Scheduler;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddScheduler();

var app = builder.Build();
app.MapPlatformDefaults();
app.Run();
