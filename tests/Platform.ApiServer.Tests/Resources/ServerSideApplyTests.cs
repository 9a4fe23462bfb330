using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources.Apply;

namespace Platform.ApiServer.Tests.Resources;

/// <summary>Field ownership as server-side apply keeps it: sets, merge, removal of dropped fields, conflicts, force, updates.</summary>
public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static JsonObject Deployment(string spec) => Obj($$"""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"a"},"spec":{{spec}}}""");

    [Fact]
    public void FieldSet_OfAnObject_KeysListItemsByMergeKey_AndRoundTripsThroughFieldsV1()
    {
        var obj = Deployment("""{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i","args":["a","b"]}]}}}""");
        obj["metadata"]!["finalizers"] = new JsonArray("x");
        var set = FieldPaths.SetOf(FieldPaths.Of(obj));
        var v1 = set.ToFieldsV1().ToJsonString();
        var expected = Obj("""
            {"f:metadata":{"f:finalizers":{"v:\"x\"":{}}},
             "f:spec":{"f:replicas":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:args":{},"f:image":{},"f:name":{}}}}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Obj(v1)), v1);
        var back = FieldSet.FromFieldsV1(Obj(v1));
        Assert.True(back.Except(set).IsEmpty && set.Except(back).IsEmpty);
        Assert.True(back.Contains(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"c\"}"]));
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(Obj("""{"x:y":{}}""")));
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(Obj("""{"f:a":1}""")));
    }

    [Fact]
    public void Apply_MergesIntent_RemovesWhatTheManagerNoLongerApplies_KeepsWhatOthersOwn()
    {
        var first = Deployment("""{"replicas":2,"minReadySeconds":5,"template":{"spec":{"containers":[{"name":"a","image":"i"},{"name":"b","image":"j"}]}}}""");
        var live = Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"a"},"spec":{"paused":false}}""");
        var applied = ManagedFields.Apply(live, first, "ci", force: false, "apps/v1", Now);
        Assert.Equal(2, (int)applied["spec"]!["replicas"]!);
        Assert.False((bool)applied["spec"]!["paused"]!);   // not the manager's: untouched

        // Another manager changes the image of b by an ordinary update: it now owns that field.
        var edited = (JsonObject)applied.DeepClone();
        edited["spec"]!["template"]!["spec"]!["containers"]![1]!["image"] = "k";
        ManagedFields.OnUpdate(applied, edited, "kubectl-set", "apps/v1", null, Now);

        // The next apply drops minReadySeconds and container b: minReadySeconds goes; b stays, holding only what
        // kubectl-set owns (its image), as Kubernetes keeps an item another manager still has fields in.
        var second = Deployment("""{"replicas":2,"template":{"spec":{"containers":[{"name":"a","image":"i"}]}}}""");
        var next = ManagedFields.Apply(edited, second, "ci", force: false, "apps/v1", Now);
        Assert.Null(next["spec"]!["minReadySeconds"]);
        var containers = next["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("""{"image":"k"}""", containers[1]!.ToJsonString());
        var managers = next["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["manager"]}/{e["operation"]}").ToList();
        Assert.Equal(["ci/Apply", "kubectl-set/Update"], managers);
    }

    [Fact]
    public void Apply_ConflictsOnAFieldAnotherManagerChanged_ForceTakesItOver_SameValueIsShared()
    {
        var config = Deployment("""{"replicas":2}""");
        var live = ManagedFields.Apply(Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"a"},"spec":{}}"""),
            config, "ci", force: false, "apps/v1", Now);
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        ManagedFields.OnUpdate(live, scaled, "kubectl-scale", "apps/v1", "scale", Now);

        var conflict = Assert.Throws<ApiProblem>(() => ManagedFields.Apply(scaled, config, "ci", force: false, "apps/v1", Now));
        Assert.Equal(409, conflict.Status);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", conflict.Message);
        Assert.Equal("FieldManagerConflict", conflict.Errors[0].Cause);

        // Applying the value the other manager set is no conflict: both own it.
        var agreeing = ManagedFields.Apply(scaled, Deployment("""{"replicas":5}"""), "ci", force: false, "apps/v1", Now);
        Assert.Equal(2, agreeing["metadata"]!["managedFields"]!.AsArray().Count);

        var forced = ManagedFields.Apply(scaled, config, "ci", force: true, "apps/v1", Now);
        Assert.Equal(2, (int)forced["spec"]!["replicas"]!);
        Assert.Equal(["ci"], forced["metadata"]!["managedFields"]!.AsArray().Select(e => (string)e!["manager"]!));
    }

    [Fact]
    public void Update_OfAnObjectNoApplyTouched_AddsNoManagedFields_AndStoredGarbageIsDropped()
    {
        var before = Deployment("""{"replicas":1}""");
        var after = Deployment("""{"replicas":2}""");
        ManagedFields.OnUpdate(before, after, "kubectl", "apps/v1", null, Now);
        Assert.Null(after["metadata"]!["managedFields"]);

        // An entry that does not parse (from storage) does not fail the write; the readable ones carry on.
        before["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"x","operation":"Apply","fieldsV1":{"bogus":{}}},{"manager":"ci","operation":"Apply","fieldsV1":{"f:spec":{"f:replicas":{}}}}]""");
        var next = ManagedFields.Apply(before, Deployment("""{"replicas":1,"paused":true}"""), "ci", force: false, "apps/v1", Now);
        Assert.Equal(["ci"], next["metadata"]!["managedFields"]!.AsArray().Select(e => (string)e!["manager"]!));
    }
}
