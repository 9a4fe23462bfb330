using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Protobuf;

namespace Platform.ApiServer.Tests.Protobuf;

public sealed class ProtobufDecoderTests
{
    private static readonly ProtobufDecoder Decoder = new(ProtoSchema.Kubernetes);

    private static JsonObject Decode(byte[] body) => Decoder.Decode(ProtobufEnvelope.Read(body));

    private static string Error(byte[] body) => Assert.Throws<ProtobufException>(() => Decode(body)).Message;

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n     got {actual.ToJsonString()}");

    [Theory]
    [MemberData(nameof(KubectlCaptures.All), MemberType = typeof(KubectlCaptures))]
    public void KubectlsProtobuf_DecodesToTheJsonAGoClientWouldSend(string command, string base64, string json)
    {
        Assert.NotEmpty(command);
        AssertJson(json, Decode(Convert.FromBase64String(base64)));
    }

    [Fact]
    public void KindOfAGroupNotVendored_IsNotServed()
    {
        var envelope = ProtobufEnvelope.Read(Convert.FromBase64String(KubectlCaptures.PriorityClass));
        Assert.Equal(("scheduling.k8s.io/v1", "PriorityClass"), (envelope.ApiVersion, envelope.Kind));
        Assert.False(ProtoSchema.Serves(envelope.ApiVersion));
    }

    [Fact]
    public void TimeMicroTimeIntOrStringQuantityBytesAndMaps_BecomeTheirJsonForms()
    {
        var lease = ProtoBuilder.Envelope("coordination.k8s.io/v1", "Lease", o => o
            .Message(1, m => m
                .String(1, "l")
                .Message(8, t => t.Varint(1, 1_796_428_800L).Varint(2, 123_456_789L))   // creationTimestamp: nanos are dropped, as Go drops them
                .Entry(11, "app", v => v.String(2, "web"))
                .Entry(11, "", v => v.String(2, "")))
            .Message(2, s => s
                .String(1, "holder")
                .Varint(2, 0L)                                                          // leaseDurationSeconds: a pointer, 0 stays
                .Message(3, t => t.Varint(1, 1_796_428_800L).Varint(2, 123_456_789L))   // acquireTime: microseconds
                .Message(4, _ => { })));                                                // renewTime: Go's zero time
        AssertJson("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"l","creationTimestamp":"2026-12-05T00:00:00Z","labels":{"app":"web","":""}},
             "spec":{"holderIdentity":"holder","leaseDurationSeconds":0,"acquireTime":"2026-12-05T00:00:00.123456Z","renewTime":null}}
            """, Decode(lease));

        var service = ProtoBuilder.Envelope("v1", "Service", o => o
            .Message(2, s => s
                .Message(1, p => p.Varint(3, 80L).Message(4, i => i.Varint(1, 0L).Varint(2, 8080L)))
                .Message(1, p => p.Varint(3, 81L).Message(4, i => i.Varint(1, 1L).String(3, "http")))
                .Message(1, p => p.Varint(3, 82L).Message(4, _ => { }))));                // targetPort 0: a value struct, left out
        AssertJson("""{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80,"targetPort":8080},{"port":81,"targetPort":"http"},{"port":82}]}}""",
            Decode(service));

        var secret = ProtoBuilder.Envelope("v1", "Secret", o => o
            .Entry(2, "bin", v => v.Bytes(2, [0, 1, 2, 0xff]))
            .Entry(2, "empty", _ => { })
            .Varint(5, 0L));                                                            // immutable: a *bool, false stays
        AssertJson("""{"apiVersion":"v1","kind":"Secret","data":{"bin":"AAEC/w==","empty":""},"immutable":false}""", Decode(secret));

        var pod = ProtoBuilder.Envelope("v1", "Pod", o => o
            .Message(2, s => s
                .Message(2, c => c
                    .String(1, "c")
                    .Message(8, r => r
                        .Entry(1, "cpu", q => q.Message(2, v => v.String(1, "500m")))
                        .Entry(2, "memory", _ => { })))                                 // a Quantity that is absent is "0"
                .Message(14, sc => sc.Varint(4, 1L).Varint(4, 2L).Packed(4, 3, 4))   // supplementalGroups: unpacked then packed
                .Message(1, v => v.String(1, "scratch").Message(2, src => src.Message(2, _ => { })))   // volumeSource is inline; emptyDir: {} stays
                .Varint(11, 0L)                                                         // hostNetwork false: omitempty, left out
                .String(3, "")));                                                       // restartPolicy "": omitempty, left out
        AssertJson("""
            {"apiVersion":"v1","kind":"Pod","spec":{
              "containers":[{"name":"c","resources":{"limits":{"cpu":"500m"},"requests":{"memory":"0"}}}],
              "securityContext":{"supplementalGroups":[1,2,3,4]},
              "volumes":[{"name":"scratch","emptyDir":{}}]}}
            """, Decode(pod));
    }

    [Fact]
    public void RawExtensionAndFieldsV1_HoldEmbeddedJson_OrANestedEnvelope()
    {
        var nested = ProtoBuilder.Envelope("v1", "ConfigMap", o => o.Message(1, m => m.String(1, "inner")).Entry(2, "k", v => v.String(2, "v")));
        var revision = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o
            .Message(1, m => m
                .String(1, "rev")
                .Message(17, e => e.String(1, "kubectl").Message(7, f => f.Bytes(1, """{"f:data":{}}"""u8.ToArray()))))
            .Message(2, r => r.Bytes(1, nested))
            .Varint(3, 2L));
        AssertJson("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision",
             "metadata":{"name":"rev","managedFields":[{"manager":"kubectl","fieldsV1":{"f:data":{}}}]},
             "data":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"inner"},"data":{"k":"v"}},"revision":2}
            """, Decode(revision));

        var json = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o.Message(2, r => r.Bytes(1, """{"spec":[1,2]}"""u8.ToArray())));
        AssertJson("""{"apiVersion":"apps/v1","kind":"ControllerRevision","data":{"spec":[1,2]}}""", Decode(json));

        var notJson = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o.Message(2, r => r.Bytes(1, "{nope"u8.ToArray())));
        Assert.StartsWith("data: the embedded bytes are not JSON", Error(notJson));
    }

    [Fact]
    public void UnknownFields_AreSkipped_AndARepeatedMessageFieldMerges()
    {
        var body = ProtoBuilder.Envelope("v1", "ConfigMap", o => o
            .Message(1, m => m.String(1, "cm").Varint(99, 7L).Fixed64(98, 1).Fixed32(97, 1).String(96, "x"))
            .Message(1, m => m.String(3, "ns"))
            .Message(999, m => m.String(1, "whatever")));
        AssertJson("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns"}}""", Decode(body));
    }

    [Fact]
    public void RenamedAndArrayFields_UseTheirJsonForms()
    {
        // ExtraValue is a Go []string wrapped in a message: its JSON is the array. BoundObjectReference's uID is "uid" in JSON.
        var review = ProtoBuilder.Envelope("authorization.k8s.io/v1", "SubjectAccessReview", o => o
            .Message(2, s => s.String(3, "alice").Entry(5, "scopes", v => v.Message(2, x => x.String(1, "a").String(1, "b")))));
        AssertJson("""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"alice","extra":{"scopes":["a","b"]}}}""",
            Decode(review));

        var token = ProtoBuilder.Envelope("authentication.k8s.io/v1", "TokenRequest", o => o
            .Message(2, s => s.Message(3, b => b.String(1, "Pod").String(3, "p").String(4, "uid-1"))));
        AssertJson("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"boundObjectRef":{"kind":"Pod","name":"p","uid":"uid-1"}}}""",
            Decode(token));
    }

    [Fact]
    public void DeleteOptions_InAnyGroupVersion_IsMetaV1()
    {
        var body = ProtoBuilder.Envelope("apps/v1", "DeleteOptions", o => o.String(4, "Foreground").String(5, "All"));
        AssertJson("""{"apiVersion":"apps/v1","kind":"DeleteOptions","propagationPolicy":"Foreground","dryRun":["All"]}""", Decode(body));
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "no magic", "{\"kind\":\"Pod\"}"u8.ToArray(), "does not start with the 4 bytes k8s\\0" },
        { "magic only", "k8s\0"u8.ToArray(), "the envelope is empty" },
        { "no kind", [.. "k8s\0"u8, .. new ProtoBuilder().Message(1, t => t.String(1, "v1")).ToArray()], "typeMeta.kind: required" },
        { "truncated varint", [.. "k8s\0"u8, 0x28, 0xff], "the data ends inside a varint" },
        { "length past the end", [.. "k8s\0"u8, 0x12, 0x7f, 0x01], "a length of 127 bytes runs past the end" },
        { "11-byte varint", [.. "k8s\0"u8, 0x28, .. Enumerable.Repeat((byte)0xff, 10), 0x01], "overflows 64 bits" },
        { "field number 0", [.. "k8s\0"u8, 0x00], "field number 0 is outside" },
        { "group", [.. "k8s\0"u8, 0x2b], "groups (wire types 3 and 4)" },
        { "typeMeta as varint", [.. "k8s\0"u8, 0x08, 0x01], "typeMeta: wire type 0, expected 2" },
        { "wire type 7", [.. "k8s\0"u8, 0x0f], "wire type 7 does not exist" },
        { "encoded content", [.. "k8s\0"u8, .. new ProtoBuilder().Message(1, t => t.String(1, "v1").String(2, "Pod")).String(3, "gzip").ToArray()], "contentEncoding 'gzip' is not supported" },
        { "unknown kind", ProtoBuilder.Envelope("v1", "Widget", _ => { }), "no kind \"Widget\" is registered for version \"v1\"" },
        { "string as varint", ProtoBuilder.Envelope("v1", "Pod", o => o.Message(1, m => m.Varint(1, 5L))), "metadata.name (field 1, string): wire type 0, expected 2" },
        { "message as varint", ProtoBuilder.Envelope("v1", "Pod", o => o.Varint(2, 5L)), "spec (field 2, k8s.io.api.core.v1.PodSpec): wire type 0, expected 2" },
        { "bad UTF-8", ProtoBuilder.Envelope("v1", "Pod", o => o.Message(1, m => m.Bytes(1, [0xc0, 0x80]))), "metadata.name: is not valid UTF-8" },
        { "IntOrString type 2", ProtoBuilder.Envelope("v1", "Service", o => o.Message(2, s => s.Message(1, p => p.Message(4, i => i.Varint(1, 2L))))), "spec.ports[0].targetPort: IntOrString type 2 is neither 0 (int) nor 1 (string)" },
        { "time out of range", ProtoBuilder.Envelope("v1", "Pod", o => o.Message(1, m => m.Message(8, t => t.Varint(1, long.MaxValue)))), "metadata.creationTimestamp: seconds 9223372036854775807 is outside the years 0001 to 9999" },
        { "time seconds as bytes", ProtoBuilder.Envelope("v1", "Pod", o => o.Message(1, m => m.Message(8, t => t.String(1, "x")))), "metadata.creationTimestamp: field 1 has wire type 2, expected a varint" },
        { "empty quantity", ProtoBuilder.Envelope("v1", "ResourceQuota", o => o.Message(2, s => s.Entry(1, "pods", q => q.Message(2, v => v.String(1, ""))))), "spec.hard[pods]: a quantity cannot be an empty string" },
        { "truncated nested", ProtoBuilder.Envelope("v1", "Pod", o => o.Message(2, s => s.Raw([0x12, 0x05, 0x0a]))), "spec.containers: a length of 5 bytes runs past the end of the data (1 bytes left)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBodies_AreRefused_NamingWhereAndWhy(string what, byte[] body, string expected)
    {
        var message = Assert.Throws<ProtobufException>(() => Decode(body)).Message;
        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"{what}: {message}");
    }

    [Fact]
    public void NestingDeeperThanTheJsonLimit_IsRefused()
    {
        // LabelSelectorRequirement lists nest no deeper, but a RawExtension of a RawExtension of ... does.
        var raw = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", _ => { });
        for (var i = 0; i < 40; i++)
        {
            var inner = raw;
            raw = ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o.Message(2, r => r.Bytes(1, inner)));
        }
        Assert.Contains($"nesting deeper than {ProtobufDecoder.MaxDepth} levels", Error(raw));

        // Deep JSON inside a RawExtension counts towards the same limit.
        var deepJson = Encoding.UTF8.GetBytes(new string('[', 70) + new string(']', 70));
        Assert.Contains("not JSON", Error(ProtoBuilder.Envelope("apps/v1", "ControllerRevision", o => o.Message(2, r => r.Bytes(1, deepJson)))));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(1_000_000_000L, "1s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(3_723_500_000_000L, "1h2m3.5s")]
    [InlineData(-2_000_000L, "-2ms")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Duration_IsGosDurationString(long nanoseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(nanoseconds));
        var payload = new ProtoBuilder().Varint(1, nanoseconds).ToArray();
        Assert.Equal(expected, (string?)WellKnownTypes.Decode(WellKnown.Duration, payload, 1, "d"));
    }
}
