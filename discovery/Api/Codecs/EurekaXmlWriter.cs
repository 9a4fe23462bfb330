using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api.Codecs;

/// <summary>Writes Eureka's XML documents (the XStream shape: <c>&lt;port enabled="true"&gt;</c>, <c>overriddenstatus</c>).</summary>
internal static class EurekaXmlWriter
{
    public static void WriteApplications(XmlWriter w, ApplicationsView view)
    {
        w.WriteStartElement("applications");
        Element(w, "versions__delta", view.VersionDelta.ToString(CultureInfo.InvariantCulture));
        Element(w, "apps__hashcode", view.AppsHashCode);
        foreach (var app in view.Applications) WriteApplication(w, app);
        w.WriteEndElement();
    }

    public static void WriteApplication(XmlWriter w, ApplicationView app)
    {
        w.WriteStartElement("application");
        Element(w, "name", app.Name);
        foreach (var i in app.Instances) WriteInstance(w, i);
        w.WriteEndElement();
    }

    public static void WriteInstance(XmlWriter w, InstanceView view)
    {
        var i = view.Info;
        w.WriteStartElement("instance");
        Element(w, "instanceId", i.InstanceId);
        Element(w, "hostName", i.HostName);
        Element(w, "app", i.App);
        Element(w, "ipAddr", i.IpAddr);
        Element(w, "status", EurekaNames.Of(i.Status));
        Element(w, "overriddenstatus", EurekaNames.Of(i.OverriddenStatus));
        WritePort(w, "port", i.Port, i.PortEnabled);
        WritePort(w, "securePort", i.SecurePort, i.SecurePortEnabled);
        Element(w, "countryId", i.CountryId.ToString(CultureInfo.InvariantCulture));
        w.WriteStartElement("dataCenterInfo");
        w.WriteAttributeString("class", XmlText(i.DataCenterClass));
        Element(w, "name", i.DataCenterName);
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
        Element(w, "isCoordinatingDiscoveryServer", i.IsCoordinatingDiscoveryServer ? "true" : "false");
        Number(w, "lastUpdatedTimestamp", i.LastUpdatedTimestamp);
        Number(w, "lastDirtyTimestamp", i.LastDirtyTimestamp);
        Element(w, "actionType", EurekaNames.Of(i.ActionType));
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
            if (IsXmlName(k)) Element(w, k, v);
        }
        w.WriteEndElement();
    }

    private static bool IsXmlName(string s)
    {
        if (s.Length == 0) return false;
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
        Element(w, name, value.ToString(CultureInfo.InvariantCulture));

    private static void Optional(XmlWriter w, string name, string? value)
    {
        if (value is not null) Element(w, name, value);
    }

    private static void Element(XmlWriter w, string name, string value) => w.WriteElementString(name, XmlText(value));

    /// <summary>
    /// Registered values are free text (a JSON string may hold any character), XML 1.0 text is not: control characters
    /// and unpaired surrogates become U+FFFD, so one odd instance cannot fail the whole registry document.
    /// </summary>
    internal static string XmlText(string value)
    {
        if (value.AsSpan().IndexOfAny(NotPlainXml) < 0) return value;
        var sb = new StringBuilder(value.Length);
        for (var n = 0; n < value.Length; n++)
        {
            var c = value[n];
            if (char.IsHighSurrogate(c) && n + 1 < value.Length && char.IsLowSurrogate(value[n + 1])) sb.Append(c).Append(value[++n]);
            else sb.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
        }
        return sb.ToString();
    }

    /// <summary>Characters that need a closer look: those XML 1.0 forbids and surrogates (valid only in pairs).</summary>
    private static readonly SearchValues<char> NotPlainXml = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c), .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c), '\uFFFE', '\uFFFF']);
}
