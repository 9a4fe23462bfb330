namespace Platform.Contracts.Resources;

public sealed record EnvVarSource
{
    public KeySelector? ConfigMapKeyRef { get; init; }
    public KeySelector? SecretKeyRef { get; init; }
    public ObjectFieldSelector? FieldRef { get; init; }
}
