using Platform.NodeAgent;
using Platform.NodeAgent.Api;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddNodeAgent();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapKubeletApi();
app.Run();
