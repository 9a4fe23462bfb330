using Platform.ApiServer.Auth;
using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Problems;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>How namespace labels choose the policy over the configured defaults, and who may set them.</summary>
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

    private static Namespace Ns(Dictionary<string, string>? labels) => new() { Metadata = new ObjectMeta { Name = "team-a", Labels = labels } };

    [Fact]
    public void LabelChange_TakesAnAdminToken_OtherLabelsDoNot()
    {
        var editor = new Caller("ed", Role.Editor, "team-a", null);
        var controller = new Caller("cm", Role.Controller, null, null);
        var admin = new Caller("root", Role.Admin, null, null);
        var privileged = Ns(new() { [PodSecurityLabels.Enforce] = "privileged", ["team"] = "a" });

        var refused = Assert.Throws<ApiProblem>(() => PodSecurityAdmission.CheckLabelChange(editor, Ns(new() { ["team"] = "a" }), privileged));
        Assert.Equal(403, refused.Status);
        Assert.Equal("namespaces \"team-a\" is forbidden: editor token \"ed\" may not set metadata.labels[pod-security.kubernetes.io/enforce]: " +
            "a namespace's Pod Security level is set with an admin token", refused.Message);
        // Removing the label is a change of level too.
        Assert.Throws<ApiProblem>(() => PodSecurityAdmission.CheckLabelChange(controller, privileged, Ns(new() { ["team"] = "a" })));
        Assert.Throws<ApiProblem>(() => PodSecurityAdmission.CheckLabelChange(controller, null, Ns(new() { [PodSecurityLabels.Warn] = "restricted" })));

        PodSecurityAdmission.CheckLabelChange(admin, null, privileged);
        PodSecurityAdmission.CheckLabelChange(editor, privileged, privileged with { Metadata = privileged.Metadata with { Labels = new() { [PodSecurityLabels.Enforce] = "privileged", ["team"] = "b" } } });
    }
}
