using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

[Collection(ApiServerCollection.Name)]
public sealed class GroupCommitTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task CreatesInOneGroup_EachGetsItsOwnAnswer_AndARefusedWriteLeavesNothing()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, GroupCommit.WithoutRelay);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        await http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("taken", "first"))).ExpectAsync(201);

        Task<HttpResponseMessage> leader, ok1, duplicate, missing, ok2;
        await using (var held = await GroupCommit.HoldVersionLockAsync(host.ConnectionString))
        {
            // The leader's group waits at the lock; the four writes after it queue for the next group, in this order.
            leader = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("leader")));
            await GroupCommit.WaitForInFlightAsync(host);
            ok1 = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("ok1")));
            await GroupCommit.WaitForQueuedAsync(host, 1);
            duplicate = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("taken", "second")));
            await GroupCommit.WaitForQueuedAsync(host, 2);
            missing = http.PostAsync("/api/v1/namespaces/no-such-namespace/configmaps", Http.Json(GroupCommit.ConfigMap("orphan")));
            await GroupCommit.WaitForQueuedAsync(host, 3);
            ok2 = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("ok2")));
            await GroupCommit.WaitForQueuedAsync(host, 4);
        }

        Assert.Equal(HttpStatusCode.Created, (await leader).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ok1).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await duplicate).StatusCode);
        Assert.Equal("AlreadyExists", (string?)(await (await duplicate).ReadObjectAsync())["reason"]);
        Assert.Equal(HttpStatusCode.NotFound, (await missing).StatusCode);
        Assert.Contains("no-such-namespace", (string?)(await (await missing).ReadObjectAsync())["detail"]);
        Assert.Equal(HttpStatusCode.Created, (await ok2).StatusCode);

        // ok1 and ok2 committed in one transaction (same xmin), which the refused writes between them did not spoil.
        var xmins = await Db.DumpAsync(host.ConnectionString, $"SELECT DISTINCT xmin::text FROM apiserver_objects WHERE namespace = '{ns}' AND name IN ('ok1', 'ok2')");
        Assert.Single(xmins.Split('\t', StringSplitOptions.RemoveEmptyEntries));
        // The refused writes left no row, history or outbox event: "taken" still has its first value and one of each.
        Assert.Contains("first", await Db.DumpAsync(host.ConnectionString, $"SELECT body::text FROM apiserver_objects WHERE namespace = '{ns}' AND name = 'taken'"));
        Assert.Equal(1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_changes WHERE namespace = $1 AND name = 'taken'", ns));
        Assert.Equal(1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE subject = $1", $"configmaps/{ns}/taken"));
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_objects WHERE name = 'orphan'"));
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_changes WHERE name = 'orphan'"));
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE subject LIKE '%/orphan'"));
        foreach (var name in new[] { "leader", "ok1", "ok2" })
            Assert.Equal(1L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE subject = $1", $"configmaps/{ns}/{name}"));
    }

    [Fact]
    public async Task GroupConnectionKilledMidGroup_LeavesNoRowHistoryOrOutboxFromTheGroup()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, GroupCommit.WithoutRelay);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";

        await using var blocker = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await blocker.OpenAsync();
        await using var blockerTx = await blocker.BeginTransactionAsync();
        Task<HttpResponseMessage> leader, written, stuck;
        await using (var held = await GroupCommit.HoldVersionLockAsync(host.ConnectionString))
        {
            leader = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("leader")));
            await GroupCommit.WaitForInFlightAsync(host);
            written = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("written")));
            await GroupCommit.WaitForQueuedAsync(host, 1);
            stuck = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("stuck")));
            await GroupCommit.WaitForQueuedAsync(host, 2);
            // An uncommitted row with stuck's key: the group inserts "written", then waits at "stuck" until it is killed.
            await using var row = new Npgsql.NpgsqlCommand(
                "INSERT INTO apiserver_objects (kind, namespace, name, uid, resource_version, body) VALUES ('ConfigMap', $1, 'stuck', gen_random_uuid(), 0, '{}')", blocker, blockerTx);
            row.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ns });
            await row.ExecuteNonQueryAsync();
        }
        Assert.Equal(HttpStatusCode.Created, (await leader).StatusCode);

        long killed = 0;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
            while (killed == 0)
            {
                await Task.Delay(20, timeout.Token);
                killed = await Db.ScalarAsync<long>(host.ConnectionString,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%apiserver_objects%'");
            }
        await blockerTx.RollbackAsync();

        Assert.True((int)(await written).StatusCode >= 500, $"written: {(await written).StatusCode}");
        Assert.True((int)(await stuck).StatusCode >= 500, $"stuck: {(await stuck).StatusCode}");
        foreach (var name in new[] { "written", "stuck" })
        {
            Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_objects WHERE namespace = $1 AND name = $2", ns, name));
            Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_changes WHERE namespace = $1 AND name = $2", ns, name));
            Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE subject = $1", $"configmaps/{ns}/{name}"));
        }
        // The next write groups and commits as usual.
        await http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("after"))).ExpectAsync(201);
    }

    [Fact]
    public async Task TwoPutsFromOneResourceVersionInOneGroup_OneSucceeds_TheOtherGets409_AndTwoPatchesBothLand()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s => s["ApiServer:GroupCommit:Updates"] = "true");
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        var current = await http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("cm"))).ExpectAsync(201);
        var a = current.DeepClone().AsObject();
        var b = current.DeepClone().AsObject();
        a["data"]!["k"] = "a";
        b["data"]!["k"] = "b";

        Task<HttpResponseMessage> leader, putA, putB, patchA, patchB;
        await using (var held = await GroupCommit.HoldVersionLockAsync(host.ConnectionString))
        {
            leader = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("leader")));
            await GroupCommit.WaitForInFlightAsync(host);
            putA = http.PutAsync($"{url}/cm", Http.Json(a));
            putB = http.PutAsync($"{url}/cm", Http.Json(b));
            await GroupCommit.WaitForQueuedAsync(host, 2);
        }
        await leader;
        var codes = (await Task.WhenAll(putA, putB)).Select(r => r.StatusCode).Order().ToArray();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);
        var winner = await (putA.Result.StatusCode == HttpStatusCode.OK ? putA.Result : putB.Result).ReadObjectAsync();
        var stored = await http.GetAsync($"{url}/cm").ExpectAsync(200);
        Assert.Equal((string?)winner["data"]!["k"], (string?)stored["data"]!["k"]);

        // Patches carry no precondition: the one that finds the object changed by its batch-mate is retried, and both land.
        await using (var held = await GroupCommit.HoldVersionLockAsync(host.ConnectionString))
        {
            leader = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("leader2")));
            await GroupCommit.WaitForInFlightAsync(host);
            patchA = http.PatchAsync($"{url}/cm", """{"data":{"a":"1"}}""");
            patchB = http.PatchAsync($"{url}/cm", """{"data":{"b":"2"}}""");
            await GroupCommit.WaitForQueuedAsync(host, 2);
        }
        await leader;
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], (await Task.WhenAll(patchA, patchB)).Select(r => r.StatusCode).ToArray());
        stored = await http.GetAsync($"{url}/cm").ExpectAsync(200);
        Assert.Equal("1", (string?)stored["data"]!["a"]);
        Assert.Equal("2", (string?)stored["data"]!["b"]);
    }

    [Fact]
    public async Task ByDefault_AnUpdateDoesNotJoinAGroup_ItWaitsForTheVersionLockInItsOwnTransaction()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        await http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("cm"))).ExpectAsync(201);

        Task<HttpResponseMessage> leader, patch;
        await using (var held = await GroupCommit.HoldVersionLockAsync(host.ConnectionString))
        {
            leader = http.PostAsync(url, Http.Json(GroupCommit.ConfigMap("leader")));
            await GroupCommit.WaitForInFlightAsync(host);
            patch = http.PatchAsync($"{url}/cm", """{"data":{"k":"patched"}}""");
            // Two backends wait for the held lock: the leader's group and the patch's own transaction; none queued.
            await Eventually.WaitAsync(async () => await Db.ScalarAsync<long>(host.ConnectionString,
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()") == 2,
                TimeSpan.FromSeconds(20), "the group and the patch to wait for the resourceVersion lock");
            Assert.Equal(0, host.Services.GetRequiredService<GroupCommitter>().Waiting);
        }
        await leader.ExpectAsync(201);
        await patch.ExpectAsync(200);
        Assert.Equal("patched", (string?)(await http.GetAsync($"{url}/cm").ExpectAsync(200))["data"]!["k"]);
    }
}
