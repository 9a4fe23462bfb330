namespace Platform.Scheduler.Framework;

/// <summary>A scheduler plugin; the profile enables it by <see cref="Name"/> at every extension point it implements.</summary>
internal interface IPlugin
{
    string Name { get; }
}
