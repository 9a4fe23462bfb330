namespace Platform.ApiServer.Secrets;

/// <summary>An AES-256 key with the short id stored in front of every ciphertext, so old keys still decrypt after rotation.</summary>
internal sealed record EncryptionKey(string Id, byte[] Key)
{
    public static bool TryParse(string text, out EncryptionKey? key, out string? error)
    {
        key = null;
        var colon = text.IndexOf(':');
        if (colon is <= 0 or > 32) { error = "expected 'id:base64-key' with an id of 1-32 characters"; return false; }
        try
        {
            var bytes = Convert.FromBase64String(text[(colon + 1)..]);
            if (bytes.Length != 32) { error = $"the key must be 32 bytes (AES-256), got {bytes.Length}"; return false; }
            key = new EncryptionKey(text[..colon], bytes);
            error = null;
            return true;
        }
        catch (FormatException)
        {
            error = "the key is not valid base64";
            return false;
        }
    }

    public override string ToString() => $"EncryptionKey({Id})";
}
