namespace Platform.Scheduler.Framework;

/// <summary>
/// One plugin as the framework knows it: the name configuration uses (<c>Scheduler:Profile:Plugins:{Name}</c>), the
/// extension points it runs at, the weight of its score when the profile sets none, and how to make it.
/// </summary>
internal sealed record PluginRegistration(string Name, ExtensionPoints ExtensionPoints, int DefaultWeight, Func<IServiceProvider, IPlugin> Create);
