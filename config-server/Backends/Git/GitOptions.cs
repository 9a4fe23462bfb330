namespace Platform.ConfigServer.Backends.Git;

/// <summary><c>ConfigServer:Git</c>: serve property files from a git repository (Spring's default backend).</summary>
internal sealed class GitOptions
{
    public const string Section = "ConfigServer:Git";

    /// <summary>Repository URL or local path (<c>https://...</c>, <c>file:///...</c>, <c>/srv/repo.git</c>). Empty disables the backend.</summary>
    public string? Uri { get; set; }

    public int Order { get; set; }

    /// <summary>Label served when a request names none.</summary>
    public string DefaultLabel { get; set; } = "main";

    /// <summary>Folders inside the repository searched for files, later ones winning; may contain <c>{application}</c>, <c>{profile}</c>, <c>{label}</c>.</summary>
    public List<string> SearchPaths { get; set; } = [];

    /// <summary>Where the local bare clone lives; defaults to a folder under the temp directory named after the URI.</summary>
    public string? BaseDir { get; set; }

    /// <summary>
    /// Seconds between fetches from the remote. Requests in between are served from the local clone (Spring's
    /// <c>refresh-rate</c>); <c>/monitor</c> and <c>/actuator/busrefresh</c> fetch at once regardless.
    /// </summary>
    public int RefreshRateSeconds { get; set; } = 5;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Clone at start so the first request is fast and a bad URI fails loudly at once.</summary>
    public bool CloneOnStart { get; set; } = true;
}
