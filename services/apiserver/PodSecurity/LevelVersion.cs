namespace Platform.ApiServer.PodSecurity;

/// <summary>A level at a policy version, written as in Kubernetes' messages: <c>baseline:latest</c>, <c>restricted:v1.30</c>.</summary>
internal readonly record struct LevelVersion(Level Level, PolicyVersion Version)
{
    public static readonly string[] LevelNames = ["privileged", "baseline", "restricted"];

    public override string ToString() => $"{Name(Level)}:{Version}";

    public static string Name(Level level) => LevelNames[(int)level];

    public static bool TryParseLevel(string? text, out Level level)
    {
        var i = Array.IndexOf(LevelNames, text);
        level = i < 0 ? Level.Restricted : (Level)i;
        return i >= 0;
    }

    /// <summary>Privileged at any version is the same policy; otherwise level and version must match.</summary>
    public bool Equivalent(LevelVersion other) => Level == Level.Privileged && other.Level == Level.Privileged || this == other;
}
