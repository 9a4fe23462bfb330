namespace Platform.NodeAgent.Api;

/// <summary>Who a bearer token belongs to, as the apiserver's TokenReview answered.</summary>
internal sealed record ReviewedUser(string Name, string Role);
