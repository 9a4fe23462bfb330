namespace Platform.ConfigServer.Security;

/// <summary><c>ConfigServer:Security</c>: who may read configuration and use /encrypt, /decrypt and the refresh endpoints.</summary>
internal sealed class SecurityOptions
{
    public const string Section = "ConfigServer:Security";

    /// <summary>When false every endpoint except /encrypt and /decrypt is open (those always need credentials).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>HTTP Basic user name (Spring's <c>spring.security.user.name</c>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A static bearer token accepted as <c>Authorization: Bearer ...</c>.</summary>
    public string? BearerToken { get; set; }

    public bool HasBasic => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    public bool HasBearer => !string.IsNullOrEmpty(BearerToken);
}
