namespace Platform.Scheduler.Framework;

internal readonly record struct HostPort(string Protocol, int Port);
