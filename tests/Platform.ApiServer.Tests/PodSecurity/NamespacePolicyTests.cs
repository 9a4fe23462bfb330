using Platform.Contracts.Validation;
using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>How namespace labels choose the policy over the configured defaults.</summary>
public sealed class NamespacePolicyTests
{
    private static readonly NamespacePolicy Defaults = new PodSecurityOptions().ToPolicy();

    private static NamespacePolicy From(Dictionary<string, string> labels, out List<FieldError> errors) => NamespacePolicy.FromLabels(labels, Defaults, out errors);

    [Fact]
    public void NoLabels_AreTheDefaults_BaselineEnforcedAndWarned_PrivilegedAudit()
    {
        var p = From([], out var errors);
        Assert.Empty(errors);
        Assert.Equal("baseline:latest", p.Enforce.ToString());
        Assert.Equal("baseline:latest", p.Warn.ToString());
        Assert.Equal("privileged:latest", p.Audit.ToString());
    }

    [Fact]
    public void EnforceLabel_WithoutWarnLabel_RaisesWarnToIt_WithItsVersion()
    {
        var p = From(new() { [PodSecurityLabels.Enforce] = "restricted", [PodSecurityLabels.EnforceVersion] = "v1.30" }, out var errors);
        Assert.Empty(errors);
        Assert.Equal("restricted:v1.30", p.Enforce.ToString());
        Assert.Equal("restricted:v1.30", p.Warn.ToString());

        var explicitWarn = From(new() { [PodSecurityLabels.Enforce] = "restricted", [PodSecurityLabels.Warn] = "privileged" }, out _);
        Assert.Equal("privileged:latest", explicitWarn.Warn.ToString());
    }

    [Fact]
    public void InvalidLabels_AreErrorsNamingLabelAndValues_EnforceFailsClosed_WarnAndAuditOpen()
    {
        var p = From(new()
        {
            [PodSecurityLabels.Enforce] = "strict", [PodSecurityLabels.Warn] = "loud", [PodSecurityLabels.AuditVersion] = "1.30",
        }, out var errors);
        Assert.Equal(Level.Restricted, p.Enforce.Level);
        Assert.Equal(Level.Privileged, p.Warn.Level);
        Assert.Equal(
        [
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.30\": must be \"latest\" or \"v1.x\"",
            "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"loud\": must be one of privileged, baseline, restricted",
        ], errors.Select(e => e.ToString()));
    }
}
