namespace Platform.Contracts.Resources;

public sealed record ExecAction
{
    public List<string>? Command { get; init; }
}
