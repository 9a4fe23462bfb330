using Platform.Console.Auth;

namespace Platform.Console.Tests.Auth;

/// <summary><c>Console:Oidc:*</c> checked at start: every wrong key named, and off by default.</summary>
public sealed class ConsoleOidcOptionsTests
{
    private static IReadOnlyList<string> Errors(ConsoleOidcOptions oidc)
    {
        var result = new ConsoleOptionsValidator().Validate(null, new ConsoleOptions { ApiServerUrl = "http://127.0.0.1:6443", Oidc = oidc });
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void Unset_IsOff_AndValid() => Assert.Empty(Errors(new ConsoleOidcOptions()));

    [Fact]
    public void WrongKeys_AreEachNamed()
    {
        Assert.Equal(["Console:Oidc:Authority: required when ClientId is set"], Errors(new ConsoleOidcOptions { ClientId = "console" }));
        var errors = Errors(new ConsoleOidcOptions { Authority = "http://idp.example.com", Scopes = ["groups", "two words"] });
        Assert.Contains("Console:Oidc:Authority: 'http://idp.example.com' must be an absolute https URL (http only for a loopback issuer)", errors);
        Assert.Contains("Console:Oidc:ClientId: required when Authority is set", errors);
        Assert.Contains("Console:Oidc:Scopes:1: a scope is one word without spaces", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Scopes_DefaultToProfileAndEmail_AndTheButtonNamesTheHost()
    {
        var oidc = new ConsoleOidcOptions { Authority = "https://keycloak.example.com/realms/platform", ClientId = "console" };
        Assert.Empty(Errors(oidc));
        Assert.Equal(["profile", "email"], oidc.EffectiveScopes);
        Assert.Equal("keycloak.example.com", oidc.ButtonName);
    }
}
