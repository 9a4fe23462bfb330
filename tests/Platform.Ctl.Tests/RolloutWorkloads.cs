using System.Text.Json.Nodes;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>
/// Deployments and the ReplicaSets the controller-manager would have made for them, written straight through the
/// apiserver's API (revision annotation, owner reference, pod-template-hash label) so rollout commands can be
/// tested without a controller.
/// </summary>
internal static class RolloutWorkloads
{
    public const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    public const string ReplicaSets = "/apis/apps/v1/namespaces/default/replicasets";

    public static Task<JsonObject> CreateDeploymentAsync(HttpClient admin, string name, string image, int replicas = 3) =>
        admin.PostAsync(Deployments, Http.Yaml($"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
            spec:
              replicas: {replicas}
              selector:
                matchLabels:
                  app: {name}
              template:
                metadata:
                  labels:
                    app: {name}
                spec:
                  containers:
                    - name: main
                      image: {image}
            """)).ExpectAsync(201);

    public static Task<JsonObject> CreateReplicaSetAsync(HttpClient admin, JsonObject deployment, long revision, string image, string? changeCause)
    {
        var name = (string)deployment["metadata"]!["name"]!;
        var hash = "h" + revision;
        var annotations = new JsonObject { ["deployment.kubernetes.io/revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (changeCause is not null) annotations["kubernetes.io/change-cause"] = changeCause;
        var labels = new JsonObject { ["app"] = name, ["pod-template-hash"] = hash };
        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-{hash}",
                ["labels"] = labels.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name,
                    ["uid"] = deployment["metadata"]!["uid"]!.DeepClone(), ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) },
                },
            },
        };
        return admin.PostAsync(ReplicaSets, Http.Json(rs)).ExpectAsync(201);
    }
}
