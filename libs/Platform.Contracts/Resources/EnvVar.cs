namespace Platform.Contracts.Resources;

/// <summary>An environment variable: a literal <see cref="Value"/> or a key of a ConfigMap or Secret.</summary>
public sealed record EnvVar
{
    /// <summary>The variable's name.</summary>
    public string? Name { get; init; }
    /// <summary>A literal value; <c>$(VAR)</c> expands from earlier variables.</summary>
    public string? Value { get; init; }
    /// <summary>A key of a ConfigMap or Secret.</summary>
    public EnvVarSource? ValueFrom { get; init; }
}
