namespace Platform.Console;

/// <summary>The console's settings, section <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary><c>Console:ApiServerUrl</c>: the apiserver every page reads and writes with the signed-in user's token (required); the replicas' URLs separated by commas for several.</summary>
    public string ApiServerUrl { get; set; } = "";

    /// <summary><c>Console:CaFile</c>: the CA the apiserver's certificate is checked against (<c>PLATFORM_CA_FILE</c>); empty: the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary><c>Console:TopicPrefix</c>: prefix of the resource topics the live event stream follows (<c>platform.</c>: <c>platform.pods</c> ...).</summary>
    public string TopicPrefix { get; set; } = "platform.";

    /// <summary><c>Console:EventBuffer</c>: how many recent events the live stream replays to a page that opens it.</summary>
    public int EventBuffer { get; set; } = 500;

    /// <summary><c>Console:AccessCacheSeconds</c>: how long a live stream trusts one access review (may this user list pods in ns?).</summary>
    public int AccessCacheSeconds { get; set; } = 30;

    /// <summary><c>Console:KeysDirectory</c>: where ASP.NET Data Protection keeps the keys that encrypt the sign-in cookie; empty: in memory (sign-ins end with the process).</summary>
    public string? KeysDirectory { get; set; }

    /// <summary><c>Console:EurekaUrl</c>: discovery's Eureka base URL, Basic credentials in the user info (<c>http://user:pass@127.0.0.1:8761/eureka</c>); empty: no registry page.</summary>
    public string? EurekaUrl { get; set; }
}
