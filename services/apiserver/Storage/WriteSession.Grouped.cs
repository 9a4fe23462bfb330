using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

internal sealed partial class WriteSession
{
    /// <summary>
    /// Whether the committing write can join a group transaction instead of this one: a create, or an update or delete
    /// with <c>ApiServer:GroupCommit:Updates</c>. Only when this session wrote and locked nothing else (no quota charge,
    /// no address claim, no earlier write): then its transaction holds nothing that must commit with the write but the
    /// row lock of what it read, which the group replaces by checking that the row still has the version read
    /// (<paramref name="expected"/>).
    /// </summary>
    private bool Groupable(ResourceKind kind, JsonObject body, ChangeType type, out long? expected)
    {
        expected = null;
        if (group is null || !group.Enabled || _locked || _wrote || _commanded) return false;
        if (type == ChangeType.Created) return true;
        if (!group.Updates) return false;
        var meta = body["metadata"];
        if (!_read.TryGetValue((kind.Kind, (string?)meta?["namespace"] ?? "", (string?)meta?["name"] ?? ""), out var read)) return false;
        expected = read;
        return true;
    }

    /// <summary>
    /// Ends this session's transaction first, so the group never waits on a row lock held by a writer that waits for
    /// the group, and so this writer's connection and slot go to the next one while the group commits.
    /// </summary>
    private async Task<StoredObject> GroupedAsync(PendingWrite pending)
    {
        await EndAsync();
        var rv = await group!.CommitAsync(pending);
        _committed = true;
        return pending.Stored(rv);
    }
}
