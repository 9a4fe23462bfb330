using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Runtime;

/// <summary>A connector instance this worker runs, with the config it started from and the task configs it generated.</summary>
internal sealed class RunningConnector(IConnector? instance, string fingerprint, bool paused)
{
    public IConnector? Instance { get; } = instance;
    public string Fingerprint { get; } = fingerprint;
    public bool Paused { get; set; } = paused;
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs { get; set; } = [];
    public bool Failed => Instance is null;
}
