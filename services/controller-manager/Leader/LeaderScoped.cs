namespace Platform.ControllerManager.Leader;

/// <summary>A controller that runs only while this process leads; <see cref="LeaderElector"/> starts and stops it.</summary>
internal sealed record LeaderScoped(BackgroundService Service);
