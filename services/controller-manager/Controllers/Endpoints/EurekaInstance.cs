namespace Platform.ControllerManager.Controllers.Endpoints;

/// <summary>One ready pod port registered under a Service's name.</summary>
internal sealed record EurekaInstance(string App, string InstanceId, string Address, int Port, string PodName, string Namespace);
