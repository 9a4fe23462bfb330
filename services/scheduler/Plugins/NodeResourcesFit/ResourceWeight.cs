namespace Platform.Scheduler.Plugins.NodeResourcesFit;

public sealed class ResourceWeight
{
    public string Name { get; set; } = "";
    public int Weight { get; set; } = 1;
}
