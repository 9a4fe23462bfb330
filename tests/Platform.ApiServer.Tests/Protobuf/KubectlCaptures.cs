namespace Platform.ApiServer.Tests.Protobuf;

/// <summary>
/// Request bodies kubectl v1.32 (client-go's typed clients, gogo-protobuf encoders) sent for <c>kubectl create ...</c>,
/// captured on the wire, with the JSON object each must decode to: what a Go client sending JSON would have sent.
/// </summary>
public static class KubectlCaptures
{
    public static TheoryData<string, string, string> All => new()
    {
        {
            "create namespace cap",
            "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDY2FwEgAaACIAKgAyADgAQgASABoCCgAaACIA",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"cap"}}"""
        },
        {
            "create configmap cm --from-literal=a=b --from-literal=empty=",
            "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEicKEgoCY20SABoAIgAqADIAOABCABIGCgFhEgFiEgkKBWVtcHR5EgAaACIA",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"b","empty":""}}"""
        },
        {
            "create secret generic sec --from-literal=user=admin --from-literal=pw=s3cr3t",
            "azhzAAoMCgJ2MRIGU2VjcmV0EjQKEwoDc2VjEgAaACIAKgAyADgAQgASDAoCcHcSBnMzY3IzdBINCgR1c2VyEgVhZG1pbhoAGgAiAA==",
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sec"},"data":{"pw":"czNjcjN0","user":"YWRtaW4="}}"""
        },
        {
            "create deployment web --image=platform/busybox:latest --replicas=3 --port=8080",
            "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Es4BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEpwBCAMSDAoKCgNhcHASA3dlYhqBAQocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJhEkMKB2J1c3lib3gSF3BsYXRmb3JtL2J1c3lib3g6bGF0ZXN0KgAyCwoAEAAYkD8iACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"busybox","image":"platform/busybox:latest","ports":[{"containerPort":8080}]}]}}}}"""
        },
        {
            "create deployment zero --image=platform/busybox:latest --replicas=0",
            "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsQBCiEKBHplcm8SABoAIgAqADIAOABCAFoLCgNhcHASBHplcm8SkAEIABINCgsKA2FwcBIEemVybxp1Ch0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEemVybxJUEjYKB2J1c3lib3gSF3BsYXRmb3JtL2J1c3lib3g6bGF0ZXN0KgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"zero","labels":{"app":"zero"}},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"zero"}},"template":{"metadata":{"labels":{"app":"zero"}},"spec":{"containers":[{"name":"busybox","image":"platform/busybox:latest"}]}}}}"""
        },
        {
            "create service clusterip web --tcp=80:8080",
            "azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkIKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoABIKCgNhcHASA3dlYhoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"web"},"type":"ClusterIP"}}"""
        },
        {
            "create quota q --hard=pods=10,requests.cpu=2,requests.memory=1Gi",
            "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJUChEKAXESABoAIgAqADIAOABCABI9CgwKBHBvZHMSBAoCMTAKEwoMcmVxdWVzdHMuY3B1EgMKATIKGAoPcmVxdWVzdHMubWVtb3J5EgUKAzFHaRoAGgAiAA==",
            """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":"10","requests.cpu":"2","requests.memory":"1Gi"}}}"""
        },
        {
            "create serviceaccount sa",
            "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFAoSCgJzYRIAGgAiACoAMgA4AEIAGgAiAA==",
            """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"}}"""
        },
        {
            "create role r --verb=get,list --resource=pods",
            "azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEigKEQoBchIAGgAiACoAMgA4AEIAEhMKA2dldAoEbGlzdBIAGgRwb2RzGgAiAA==",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]}"""
        },
        {
            "create rolebinding rb --role=r --serviceaccount=cap:sa",
            "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxJXChIKAnJiEgAaACIAKgAyADgAQgASGwoOU2VydmljZUFjY291bnQSABoCc2EiA2NhcBokChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgRSb2xlGgFyGgAiAA==",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb"},"subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"cap"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}}"""
        },
        {
            "create clusterrolebinding crb --clusterrole=cr --user=u",
            "azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcSawoTCgNjcmISABoAIgAqADIAOABCABImCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgF1IgAaLAoZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxILQ2x1c3RlclJvbGUaAmNyGgAiAA==",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"u"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cr"}}"""
        },
        {
            "create token sa --duration=10m",
            "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIdChAKABIAGgAiACoAMgA4AEIAEgMg2AQaBAoAEgAaACIA",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":600},"status":{"token":""}}"""
        },
        {
            "auth can-i create pods",
            "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSOwoQCgASABoAIgAqADIAOABCABIdChsKA2NhcBIGY3JlYXRlGgAiACoEcG9kczIAOgAaCAgAEgAaACAAGgAiAA==",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"cap","verb":"create","resource":"pods"}},"status":{"allowed":false}}"""
        },
        {
            "auth whoami",
            "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""
        },
        {
            "create pdb pdb --selector=app=web --min-available=50%",
            "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSPAoTCgNwZGISABoAIgAqADIAOABCABIZCgkIARAAGgM1MCUSDAoKCgNhcHASA3dlYhoKCAAYACAAKAAwABoAIgA=",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}"""
        },
        {
            "create ingress ing --rule=foo.com/bar=svc:8080",
            "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJJChMKA2luZxIAGgAiACoAMgA4AEIAEi4aLAoHZm9vLmNvbRIhCh8KHQoEL2JhchIOIgwKA3N2YxIFCgAQkD8aBUV4YWN0GgIKABoAIgA=",
            """{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing"},"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","backend":{"service":{"name":"svc","port":{"number":8080}}},"pathType":"Exact"}]}}]}}"""
        },
        {
            "create cronjob cj --image=platform/busybox:latest --schedule=*/1 * * * *",
            "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKvAQoSCgJjahIAGgAiACoAMgA4AEIAEpYBCgsqLzEgKiAqICogKhoAKoQBChIKAmNqEgAaACIAKgAyADgAQgASbjJsChAKABIAGgAiACoAMgA4AEIAElgSMQoCY2oSF3BsYXRmb3JtL2J1c3lib3g6bGF0ZXN0KgBCAGoAcgCAAQCIAQCQAQCiAQAaCU9uRmFpbHVyZTIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgAaACIA",
            """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cj"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"cj"},"spec":{"template":{"spec":{"containers":[{"name":"cj","image":"platform/busybox:latest"}],"restartPolicy":"OnFailure"}}}}}}"""
        },
    };

    /// <summary>The captured body of the command that starts with <paramref name="command"/>.</summary>
    public static byte[] Body(string command) =>
        Convert.FromBase64String((string)All.Single(row => ((string)row[0]).StartsWith(command, StringComparison.Ordinal))[1]);

    /// <summary><c>kubectl create priorityclass pc --value=5</c>: scheduling.k8s.io is not vendored.</summary>
    public const string PriorityClass = "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxIwChIKAnBjEgAaACIAKgAyADgAQgAQBRgAIgAqFFByZWVtcHRMb3dlclByaW9yaXR5GgAiAA==";
}
