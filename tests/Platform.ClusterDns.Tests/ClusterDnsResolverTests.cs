using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Xunit;

namespace Platform.ClusterDns.Tests;

public sealed class ClusterDnsResolverTests
{
    private readonly InMemoryDnsSource _source = InMemoryDnsSource.Seeded();
    private readonly ClusterDnsResolver _resolver;

    public ClusterDnsResolverTests() => _resolver = new ClusterDnsResolver(_source, new ClusterDnsOptions());

    private DnsAnswer Ask(string name, RecordType type) =>
        _resolver.Resolve(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet))
        ?? throw new InvalidOperationException($"{name} was not answered by the cluster zone");

    [Fact]
    public void AClusterIpService_AnswersItsClusterIp()
    {
        var answer = Ask("db-service.dev.svc.cluster.local", RecordType.A);
        Assert.Equal(ReturnCode.NoError, answer.Code);
        var a = Assert.IsType<ARecord>(Assert.Single(answer.Answers));
        Assert.Equal(IPAddress.Parse("10.96.0.20"), a.Address);
        Assert.Equal(5, a.TimeToLive);
    }

    [Fact]
    public void NamesAreCaseInsensitive()
    {
        var answer = Ask("DB-Service.Dev.SVC.Cluster.Local", RecordType.A);
        Assert.IsType<ARecord>(Assert.Single(answer.Answers));
    }

    [Fact]
    public void AHeadlessService_AnswersEveryPublishedEndpoint()
    {
        var answer = Ask("web.dev.svc.cluster.local", RecordType.A);
        Assert.Equal(["10.244.0.5", "10.244.0.6"], answer.Answers.Cast<ARecord>().Select(a => a.Address.ToString()).Order());
    }

    [Fact]
    public void AHeadlessEndpoint_HasANameOfItsOwn_ByHostnameOrDashedAddress()
    {
        Assert.Equal(IPAddress.Parse("10.244.0.5"), Assert.IsType<ARecord>(Assert.Single(Ask("web-0.web.dev.svc.cluster.local", RecordType.A).Answers)).Address);
        Assert.Equal(IPAddress.Parse("10.244.0.6"), Assert.IsType<ARecord>(Assert.Single(Ask("10-244-0-6.web.dev.svc.cluster.local", RecordType.A).Answers)).Address);
    }

    [Fact]
    public void SrvOfAClusterIpService_GivesThePortAndTheServiceName()
    {
        var answer = Ask("_mysql._tcp.db-service.dev.svc.cluster.local", RecordType.Srv);
        var srv = Assert.IsType<SrvRecord>(Assert.Single(answer.Answers));
        Assert.Equal(3306, srv.Port);
        Assert.Equal("db-service.dev.svc.cluster.local.", srv.Target.ToString(true));
        Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<ARecord>(Assert.Single(answer.Additional)).Address);
    }

    [Fact]
    public void SrvOfAHeadlessService_GivesOneRecordPerEndpoint_WithTheEndpointPort()
    {
        var answer = Ask("_http._tcp.web.dev.svc.cluster.local", RecordType.Srv);
        var targets = answer.Answers.Cast<SrvRecord>().OrderBy(s => s.Target.ToString()).ToList();
        Assert.Equal(["10-244-0-6.web.dev.svc.cluster.local.", "web-0.web.dev.svc.cluster.local."], targets.Select(t => t.Target.ToString(true)));
        Assert.All(targets, t => Assert.Equal(8080, t.Port));
        Assert.Equal(2, answer.Additional.Count);
    }

    [Fact]
    public void SrvOfAnUnknownPortOrProtocol_IsNxDomain()
    {
        Assert.Equal(ReturnCode.NxDomain, Ask("_mysql._udp.db-service.dev.svc.cluster.local", RecordType.Srv).Code);
        Assert.Equal(ReturnCode.NxDomain, Ask("_nope._tcp.db-service.dev.svc.cluster.local", RecordType.Srv).Code);
    }

    [Fact]
    public void AnExternalNameService_IsACname()
    {
        var answer = Ask("search.dev.svc.cluster.local", RecordType.A);
        var cname = Assert.IsType<CNameRecord>(Assert.Single(answer.Answers));
        Assert.Equal("search.example.org.", cname.CanonicalName.ToString(true));
    }

    [Fact]
    public void AnUnknownService_IsNxDomainWithTheZonesSoa()
    {
        var answer = Ask("nope.dev.svc.cluster.local", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, answer.Code);
        Assert.Empty(answer.Answers);
        Assert.IsType<SoaRecord>(Assert.Single(answer.Authority));
        Assert.Equal(ReturnCode.NxDomain, Ask("db-service.prod.svc.cluster.local", RecordType.A).Code);
    }

    [Fact]
    public void ATypeTheNameHasNoneOf_IsNoDataNotNxDomain()
    {
        var answer = Ask("db-service.dev.svc.cluster.local", RecordType.Aaaa);
        Assert.Equal(ReturnCode.NoError, answer.Code);
        Assert.Empty(answer.Answers);
        Assert.Equal(ReturnCode.NoError, Ask("dev.svc.cluster.local", RecordType.A).Code);
    }

    [Fact]
    public void APodName_AnswersTheAddressItSpells()
    {
        var answer = Ask("10-244-1-7.dev.pod.cluster.local", RecordType.A);
        Assert.Equal(IPAddress.Parse("10.244.1.7"), Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
        Assert.Equal(ReturnCode.NxDomain, Ask("not-an-ip.dev.pod.cluster.local", RecordType.A).Code);
    }

    [Fact]
    public void ReverseLookups_NameTheServiceOrTheEndpoint()
    {
        var service = Assert.IsType<PtrRecord>(Assert.Single(Ask("20.0.96.10.in-addr.arpa", RecordType.Ptr).Answers));
        Assert.Equal("db-service.dev.svc.cluster.local.", service.PointerDomainName.ToString(true));
        var endpoint = Assert.IsType<PtrRecord>(Assert.Single(Ask("5.0.244.10.in-addr.arpa", RecordType.Ptr).Answers));
        Assert.Equal("web-0.web.dev.svc.cluster.local.", endpoint.PointerDomainName.ToString(true));
    }

    [Fact]
    public void DnsVersion_IsTheSpecificationsSchemaVersion()
    {
        var txt = Assert.IsType<TxtRecord>(Assert.Single(Ask("dns-version.cluster.local", RecordType.Txt).Answers));
        Assert.Equal("1.1.0", txt.TextData);
    }

    [Fact]
    public void NamesOutsideTheCluster_AreNotAnsweredHere()
    {
        Assert.Null(_resolver.Resolve(new DnsQuestion(DomainName.Parse("example.org"), RecordType.A, RecordClass.INet)));
        Assert.Null(_resolver.Resolve(new DnsQuestion(DomainName.Parse("1.0.0.127.in-addr.arpa"), RecordType.Ptr, RecordClass.INet)));
    }

    [Fact]
    public void AnotherClusterDomain_IsHonoured()
    {
        var resolver = new ClusterDnsResolver(_source, new ClusterDnsOptions { ClusterDomain = "corp.internal" });
        var answer = resolver.Resolve(new DnsQuestion(DomainName.Parse("db-service.dev.svc.corp.internal"), RecordType.A, RecordClass.INet));
        Assert.NotNull(answer);
        Assert.Single(answer.Answers);
        Assert.Null(resolver.Resolve(new DnsQuestion(DomainName.Parse("db-service.dev.svc.cluster.local"), RecordType.A, RecordClass.INet)));
    }
}
