namespace Platform.Samples.SampleService;

/// <summary>The sample's own settings (<c>Sample:*</c>); its name comes from <c>spring:application:name</c>.</summary>
public sealed class SampleOptions
{
    /// <summary><c>spring:application:name</c>, e.g. <c>my-first-service</c>.</summary>
    public string Name { get; set; } = "";
    /// <summary>
    /// <c>Sample:PathPrefix</c>: the path the service answers under, as in the seed (<c>/first-service/**</c>);
    /// defaults to the name without a leading <c>my-</c>.
    /// </summary>
    public string PathPrefix { get; set; } = "";
}
