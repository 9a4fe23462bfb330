using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>
/// One served ConfigMap or Secret at the resourceVersion last seen: its properties and whom they are for. A labelled
/// object names its <see cref="Application"/> and <see cref="Profile"/>; an unlabelled Secret (<see cref="Application"/>
/// null) is for the application its name spells, Spring Cloud Kubernetes' convention: <c>orders</c> for orders'
/// default profile, <c>orders-dev</c> for its <c>dev</c> profile, <c>application</c> and <c>application-dev</c> for
/// every application.
/// </summary>
internal sealed record ConfigDataEntry(string Namespace, string Name, string? Application, string Profile, long ResourceVersion, PropertySource Source)
{
    public bool Serves(string application, string profile) => Application is null
        ? Name == (profile == "default" ? application : $"{application}-{profile}")
        : Application == application && Profile == profile;

    /// <summary>
    /// The applications a change to this object may concern, for the bus refresh: the labelled one, or for a name every
    /// application it can spell (<c>my-app-dev</c>: <c>my-app-dev</c>, <c>my-app</c>, <c>my</c>). A refresh too many
    /// is a harmless reload; one too few would leave a client on the old value.
    /// </summary>
    public IEnumerable<string> Applications
    {
        get
        {
            if (Application is not null)
            {
                yield return Application;
                yield break;
            }
            yield return Name;
            for (var dash = Name.LastIndexOf('-'); dash > 0; dash = Name.LastIndexOf('-', dash - 1)) yield return Name[..dash];
        }
    }
}
