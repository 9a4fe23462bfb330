using Platform.Contracts.Resources;

namespace Platform.ApiServer.Tests.Resources;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "prod" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier=front", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (web, api)", true)]
    [InlineData("app in (api)", false)]
    [InlineData("env notin (dev,staging)", true)]
    [InlineData("missing notin (x)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!canary", true)]
    [InlineData("example.com/team", false)]
    public void Matches_EqualityAndSetBasedForms(string selector, bool expected) =>
        Assert.Equal(expected, Selector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app in ()")]
    [InlineData("app=web,,")]
    [InlineData("app >= 3")]
    [InlineData("Bad Key=x")]
    [InlineData("app=in valid")]
    public void Parse_Malformed_ThrowsFormatExceptionSayingWhere(string selector)
    {
        var ex = Assert.Throws<FormatException>(() => Selector.Parse(selector));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void FromLabelSelector_CombinesMatchLabelsAndExpressions_AndPrintsTheStringForm()
    {
        var s = Selector.FromLabelSelector(new LabelSelector
        {
            MatchLabels = new() { ["app"] = "web" },
            MatchExpressions = [new() { Key = "env", Operator = "NotIn", Values = ["dev"] }, new() { Key = "tier", Operator = "Exists" }],
        });
        Assert.True(s.Matches(Labels));
        Assert.Equal("app=web,env notin (dev),tier", s.ToString());
        Assert.Equal(s.ToString(), Selector.Parse(s.ToString()).ToString());
    }

    [Theory]
    [InlineData("100m", 0.1)]
    [InlineData("1", 1)]
    [InlineData("2.5", 2.5)]
    [InlineData("128Mi", 134217728)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("5k", 5000)]
    [InlineData("1e3", 1000)]
    [InlineData("250u", 0.00025)]
    public void Quantity_ParsesSuffixes(string text, double expected) =>
        Assert.Equal((decimal)expected, Quantity.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("1Xi")]
    [InlineData("Mi")]
    [InlineData("1.2.3")]
    [InlineData("1e3Mi")]
    public void Quantity_RejectsNonQuantities(string text) => Assert.False(Quantity.TryParse(text, out _));

    [Fact]
    public void Quantity_FormatsMilliAndBytes()
    {
        Assert.Equal("1500m", Quantity.FormatMilli(1500));
        Assert.Equal("2", Quantity.FormatMilli(2000));
        Assert.Equal("128Mi", Quantity.FormatBytes(134217728));
        Assert.Equal(100, Quantity.ToMilli(Quantity.Parse("100m")));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("640Mi", "640Mi")]
    [InlineData("500M", "500M")]
    [InlineData("1000", "1k")]
    [InlineData("70000E", "70000E")]
    [InlineData("1.5", "1500m")]
    [InlineData("3", "3")]
    [InlineData("1Gi", "1Gi")]
    public void Quantity_Format_IsTheShortestCanonicalForm(string text, string expected) =>
        Assert.Equal(expected, Quantity.Format(Quantity.Parse(text)));

    [Fact]
    public void Quantity_Add_Saturates()
    {
        Assert.Equal(decimal.MaxValue, Quantity.Add(decimal.MaxValue, 1));
        Assert.Equal(3m, Quantity.Add(1, 2));
    }
}
