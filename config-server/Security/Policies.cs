namespace Platform.ConfigServer.Security;

/// <summary>Authorization policy names.</summary>
internal static class Policies
{
    /// <summary>Reading configuration: authenticated when <c>ConfigServer:Security:Enabled</c>, open otherwise.</summary>
    public const string Read = "config-read";

    /// <summary>Encrypt, decrypt, refresh: always authenticated.</summary>
    public const string Admin = "config-admin";
}
