using System.Text;
using Platform.ApiServer.Tests.Protobuf;
using Platform.Testing.Fuzz;

namespace Platform.ApiServer.Tests.Fuzz;

/// <summary>
/// kubectl's own protobuf bodies (<see cref="KubectlCaptures"/>), bent: bytes flipped, cut, spliced, a random tail
/// after the magic, lengths that lie, and nesting past the depth limit (RawExtension envelopes, FieldsV1 JSON).
/// </summary>
internal static class ProtobufCorpus
{
    private static readonly (string Url, string Command)[] Seeds =
    [
        ("/api/v1/namespaces/{ns}/configmaps", "create configmap"),
        ("/api/v1/namespaces/{ns}/secrets", "create secret"),
        ("/apis/apps/v1/namespaces/{ns}/deployments", "create deployment web"),
        ("/api/v1/namespaces/{ns}/services", "create service clusterip"),
        ("/api/v1/namespaces/{ns}/resourcequotas", "create quota"),
        ("/api/v1/namespaces/{ns}/serviceaccounts", "create serviceaccount"),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", "create role r "),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", "create rolebinding"),
        ("/api/v1/namespaces/{ns}/serviceaccounts/sa/token", "create token"),
    ];

    public static FuzzRequest Next(Mutator m, string ns)
    {
        var (url, command) = m.Pick(Seeds);
        var body = KubectlCaptures.Body(command);
        var (label, mutated) = m.Next(8) switch
        {
            0 => ("pb-flip", Flip(m, body)),
            1 => ("pb-cut", body[..m.Next(body.Length)]),
            2 => ("pb-random", [.. "k8s\0"u8, .. m.RandomBytes()]),
            3 => ("pb-splice", Splice(m, body)),
            4 => ("pb-length", [.. "k8s\0"u8, 0x12, .. ProtoBuilder.Encode(m.Pick<ulong>(0x7fffffff, 1UL << 40, ulong.MaxValue)), .. body[4..]]),
            5 => ("pb-envelopes", NestedEnvelopes(m.Next(20, 200))),
            6 => ("pb-fields", DeepFieldsV1(m.Next(60, 5000))),
            _ => ("pb-valid", body),
        };
        return new FuzzRequest("POST", url.Replace("{ns}", ns, StringComparison.Ordinal)) { Label = label }
            .WithBody(mutated, m.ContentType("application/vnd.kubernetes.protobuf"));
    }

    private static byte[] Flip(Mutator m, byte[] body)
    {
        var copy = body.ToArray();
        for (var i = m.Next(1, 5); i > 0; i--) copy[m.Next(4, copy.Length)] = (byte)m.Next(256);
        return copy;
    }

    /// <summary>A slice of the body written again somewhere else: fields repeated, messages cut mid-way.</summary>
    private static byte[] Splice(Mutator m, byte[] body)
    {
        var from = m.Next(4, body.Length);
        var slice = body[from..m.Next(from, body.Length)];
        var at = m.Next(4, body.Length);
        return [.. body[..at], .. slice, .. body[at..]];
    }

    private static byte[] NestedEnvelopes(int depth)
    {
        var raw = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", _ => { });
        for (var i = 0; i < depth; i++)
        {
            var inner = raw;
            raw = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o.Message(2, r => r.Bytes(1, inner)));
        }
        return raw;
    }

    private static byte[] DeepFieldsV1(int depth)
    {
        var json = Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
        return ProtoBuilder.Envelope("v1", "ConfigMap", o => o.Message(1, meta => meta
            .String(1, "deep")
            .Message(17, entry => entry.String(1, "fuzz").Message(7, fields => fields.Bytes(1, json)))));
    }
}
