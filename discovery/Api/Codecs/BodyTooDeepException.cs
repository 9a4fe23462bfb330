namespace Platform.Discovery.Api.Codecs;

/// <summary>A request body nests deeper than <c>Eureka:Server:MaxBodyDepth</c>; <see cref="Where"/> says where it crossed.</summary>
internal sealed class BodyTooDeepException(int maxDepth, string where)
    : Exception($"nested deeper than {maxDepth} levels at {where}")
{
    public int MaxDepth { get; } = maxDepth;

    public string Where { get; } = where;
}
