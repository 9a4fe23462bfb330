namespace Platform.NodeAgent.Probes;

internal enum ProbeKind
{
    Liveness,
    Readiness,
    Startup,
}
