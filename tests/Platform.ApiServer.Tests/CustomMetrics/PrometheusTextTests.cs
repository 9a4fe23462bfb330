using Platform.ApiServer.CustomMetrics;

namespace Platform.ApiServer.Tests.CustomMetrics;

/// <summary>The exposition parser the custom metrics API scrapes with: what prometheus-net writes, escapes, and refusals by line.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Parse_ReadsNamesLabelsAndValues_SkippingComments_AndUnescapesLabelValues()
    {
        var samples = PrometheusText.Parse("""
            # HELP gateway_route_requests_total Requests served per gateway route
            # TYPE gateway_route_requests_total counter
            gateway_route_requests_total{route="team-a/hello",method="GET",status="200"} 1027
            odd{path="a\"b\\c\nd",} 2.5e3 1700000000000
            up 1
            nan NaN
            """);
        Assert.Equal(["gateway_route_requests_total", "odd", "up", "nan"], samples.Select(s => s.Name));
        Assert.Equal("team-a/hello", samples[0].Labels["route"]);
        Assert.Equal(1027, samples[0].Value);
        Assert.Equal("a\"b\\c\nd", samples[1].Labels["path"]);
        Assert.Equal(2500, samples[1].Value);
        Assert.Empty(samples[2].Labels);
        Assert.True(double.IsNaN(samples[3].Value));
    }

    [Theory]
    [InlineData("up one", "line 1: \"one\" is not a number")]
    [InlineData("ok 1\n{a=\"b\"} 1", "line 2: expected a metric name")]
    [InlineData("x{a=b} 1", "line 1: malformed label at column 3")]
    [InlineData("x{a=\"b} 1", "line 1: unterminated value of label a")]
    [InlineData("x{a=\"\\q\"} 1", "line 1: bad escape \\q in label a")]
    [InlineData("x", "line 1: expected a value after x")]
    public void Parse_RefusesAMalformedLine_NamingIt(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PrometheusText.Parse(text)).Message);

    [Fact]
    public void Parse_IsBounded_InLabelsPerSample()
    {
        var labels = string.Join(",", Enumerable.Range(0, PrometheusText.MaxLabels + 1).Select(i => $"l{i}=\"v\""));
        Assert.Equal($"line 1: more than {PrometheusText.MaxLabels} labels", Assert.Throws<FormatException>(() => PrometheusText.Parse($"x{{{labels}}} 1")).Message);
    }
}
