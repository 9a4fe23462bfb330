namespace Platform.ConfigServer.Limits;

/// <summary>
/// Counts the characters a flattened YAML or JSON file produces: every leaf repeats its whole dotted path, so a
/// long key over many children multiplies (a 500 KB key above 100,000 leaves would be 50 GB of names).
/// </summary>
internal sealed class FlattenBudget(string location, DocumentLimitsOptions limits)
{
    private long _used;

    public void Charge(string name, object? value)
    {
        _used += name.Length + (value is string s ? s.Length : 8);
        if (_used > limits.MaxFlattenedLength)
            throw new DocumentLimitException(nameof(limits.MaxFlattenedLength), location,
                $"flattened properties longer than {limits.MaxFlattenedLength} characters");
    }
}
