using Platform.ApiServer;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults();
builder.AddApiServer();

var app = builder.Build();
app.MapPlatformDefaults();
app.MapApiServer();
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
