namespace Platform.ConfigServer.Backends.Native;

/// <summary><c>ConfigServer:Native</c>: serve property files from local folders (Spring's <c>native</c> profile).</summary>
internal sealed class NativeOptions
{
    public const string Section = "ConfigServer:Native";

    public bool Enabled { get; set; }

    /// <summary>Folders searched, later ones winning; may contain <c>{application}</c>, <c>{profile}</c>, <c>{label}</c>.</summary>
    public List<string> SearchLocations { get; set; } = [];

    /// <summary>Position among the backends; lower is higher precedence.</summary>
    public int Order { get; set; }

    /// <summary>The label that means "the locations themselves" rather than a sub-folder named after the label.</summary>
    public string DefaultLabel { get; set; } = "main";
}
