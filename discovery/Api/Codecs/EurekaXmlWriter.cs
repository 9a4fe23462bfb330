using System.Globalization;
using System.Xml;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api.Codecs;

/// <summary>Writes Eureka's XML documents (the XStream shape: <c>&lt;port enabled="true"&gt;</c>, <c>overriddenstatus</c>).</summary>
internal static class EurekaXmlWriter
{
    public static void WriteApplications(XmlWriter w, ApplicationsView view)
    {
        w.WriteStartElement("applications");
        w.WriteElementString("versions__delta", view.VersionDelta.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("apps__hashcode", view.AppsHashCode);
        foreach (var app in view.Applications) WriteApplication(w, app);
        w.WriteEndElement();
    }

    public static void WriteApplication(XmlWriter w, ApplicationView app)
    {
        w.WriteStartElement("application");
        w.WriteElementString("name", app.Name);
        foreach (var i in app.Instances) WriteInstance(w, i);
        w.WriteEndElement();
    }

    public static void WriteInstance(XmlWriter w, InstanceView view)
    {
        var i = view.Info;
        w.WriteStartElement("instance");
        w.WriteElementString("instanceId", i.InstanceId);
        w.WriteElementString("hostName", i.HostName);
        w.WriteElementString("app", i.App);
        w.WriteElementString("ipAddr", i.IpAddr);
        w.WriteElementString("status", EurekaNames.Of(i.Status));
        w.WriteElementString("overriddenstatus", EurekaNames.Of(i.OverriddenStatus));
        WritePort(w, "port", i.Port, i.PortEnabled);
        WritePort(w, "securePort", i.SecurePort, i.SecurePortEnabled);
        w.WriteElementString("countryId", i.CountryId.ToString(CultureInfo.InvariantCulture));
        w.WriteStartElement("dataCenterInfo");
        w.WriteAttributeString("class", i.DataCenterClass);
        w.WriteElementString("name", i.DataCenterName);
        if (i.DataCenterMetadata.Count > 0) WriteMap(w, "metadata", i.DataCenterMetadata);
        w.WriteEndElement();
        w.WriteStartElement("leaseInfo");
        Number(w, "renewalIntervalInSecs", i.RenewalIntervalInSecs);
        Number(w, "durationInSecs", i.DurationInSecs);
        Number(w, "registrationTimestamp", view.Lease.Registration);
        Number(w, "lastRenewalTimestamp", view.Lease.LastRenewal);
        Number(w, "evictionTimestamp", view.Lease.Eviction);
        Number(w, "serviceUpTimestamp", view.Lease.ServiceUp);
        w.WriteEndElement();
        if (i.Metadata.Count == 0)
        {
            w.WriteStartElement("metadata");
            w.WriteAttributeString("class", "java.util.Collections$EmptyMap");
            w.WriteEndElement();
        }
        else WriteMap(w, "metadata", i.Metadata);
        Optional(w, "appGroupName", i.AppGroupName);
        Optional(w, "homePageUrl", i.HomePageUrl);
        Optional(w, "statusPageUrl", i.StatusPageUrl);
        Optional(w, "healthCheckUrl", i.HealthCheckUrl);
        Optional(w, "secureHealthCheckUrl", i.SecureHealthCheckUrl);
        Optional(w, "vipAddress", i.VipAddress);
        Optional(w, "secureVipAddress", i.SecureVipAddress);
        Optional(w, "asgName", i.AsgName);
        w.WriteElementString("isCoordinatingDiscoveryServer", i.IsCoordinatingDiscoveryServer ? "true" : "false");
        Number(w, "lastUpdatedTimestamp", i.LastUpdatedTimestamp);
        Number(w, "lastDirtyTimestamp", i.LastDirtyTimestamp);
        w.WriteElementString("actionType", EurekaNames.Of(i.ActionType));
        w.WriteEndElement();
    }

    private static void WritePort(XmlWriter w, string name, int port, bool enabled)
    {
        w.WriteStartElement(name);
        w.WriteAttributeString("enabled", enabled ? "true" : "false");
        w.WriteString(port.ToString(CultureInfo.InvariantCulture));
        w.WriteEndElement();
    }

    private static void WriteMap(XmlWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartElement(name);
        foreach (var (k, v) in map)
        {
            // Metadata keys are free text; XML element names are not. Eureka has the same limit.
            if (IsXmlName(k)) w.WriteElementString(k, v);
        }
        w.WriteEndElement();
    }

    private static bool IsXmlName(string s)
    {
        try
        {
            XmlConvert.VerifyNCName(s);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static void Number(XmlWriter w, string name, long value) =>
        w.WriteElementString(name, value.ToString(CultureInfo.InvariantCulture));

    private static void Optional(XmlWriter w, string name, string? value)
    {
        if (value is not null) w.WriteElementString(name, value);
    }
}
