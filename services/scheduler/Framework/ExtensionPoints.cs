namespace Platform.Scheduler.Framework;

/// <summary>Where in a scheduling cycle a plugin runs: every point whose interface it implements.</summary>
[Flags]
internal enum ExtensionPoints
{
    None = 0,
    PreFilter = 1,
    Filter = 2,
    PostFilter = 4,
    PreScore = 8,
    Score = 16,
    Reserve = 32,
    Bind = 64,
    PreBind = 128,
}
