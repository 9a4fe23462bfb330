namespace Platform.ConfigServer.Environment;

/// <summary>The requested label (branch, tag, commit or folder) does not exist in a backend.</summary>
internal sealed class LabelNotFoundException(string label, string backend)
    : Exception($"label '{label}' not found in {backend}")
{
    public string Label { get; } = label;
}
