using ARSoft.Tools.Net.Dns;

namespace Platform.ClusterDns;

/// <summary>The cluster's answer to one question: a return code and the records of each section.</summary>
public sealed record DnsAnswer(ReturnCode Code, IReadOnlyList<DnsRecordBase> Answers, IReadOnlyList<DnsRecordBase> Additional,
    IReadOnlyList<DnsRecordBase> Authority)
{
    public static DnsAnswer Records(IReadOnlyList<DnsRecordBase> answers, IReadOnlyList<DnsRecordBase>? additional = null) =>
        new(ReturnCode.NoError, answers, additional ?? [], []);
}
