using Platform.NodeAgent;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddNodeAgent();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapNodeAgent();
app.Run();
