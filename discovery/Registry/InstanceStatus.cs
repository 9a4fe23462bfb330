namespace Platform.Discovery.Registry;

internal enum InstanceStatus
{
    Up,
    Down,
    Starting,
    OutOfService,
    Unknown,
}
