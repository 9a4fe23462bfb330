using Microsoft.IdentityModel.Tokens;

namespace Platform.Oidc;

/// <summary>What the issuer publishes: its <c>issuer</c> (null without discovery) and signing keys.</summary>
public sealed record IssuerMetadata(string? Issuer, IReadOnlyList<SecurityKey> Keys);

/// <summary>No keys of the issuer are held and they cannot be fetched now: a token cannot be checked either way.</summary>
public sealed class IssuerUnavailableException(string message) : Exception(message);
