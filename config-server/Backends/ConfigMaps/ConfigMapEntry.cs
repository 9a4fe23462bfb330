using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>One served ConfigMap: who it is for and its properties, at the resourceVersion last seen.</summary>
internal sealed record ConfigMapEntry(string Namespace, string Name, string Application, string Profile, long ResourceVersion, PropertySource Source);
