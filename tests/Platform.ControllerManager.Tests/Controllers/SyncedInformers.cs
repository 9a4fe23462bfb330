using Platform.ApiServer.Client.Informers;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Hand-fed caches: the first lists, as the apiserver would answer them, for tests that run controllers without one.</summary>
internal static class SyncedInformers
{
    /// <summary>Every informer not given its first list yet gets an empty one (what a cluster without such objects answers).</summary>
    public static void SyncRestEmpty(this ClusterInformers informers)
    {
        foreach (var informer in informers.All.Where(i => !i.HasSynced))
        {
            var type = informer.GetType();
            var empty = Array.CreateInstance(type.GetGenericArguments()[0], 0);
            type.GetMethod(nameof(Informer<Platform.Contracts.Resources.Pod>.Replace))!.Invoke(informer, [empty, 1L]);
        }
    }
}
