using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;

namespace Platform.Scheduler;

/// <summary>Reports every invalid setting at start, each with its configuration key; plugin names are the registry's.</summary>
internal sealed class SchedulerOptionsValidator(PluginRegistry plugins) : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions o)
    {
        var errors = new List<string>();
        if (!ApiServerEndpoints.TryParse(o.ApiServerUrl, out _, out var urlError))
            errors.Add($"Scheduler:ApiServerUrl: {urlError} (or set PLATFORM_APISERVER_URL)");
        if (string.IsNullOrWhiteSpace(o.Token)) errors.Add("Scheduler:Token: required, a token with the scheduler role (or set PLATFORM_SCHEDULER_TOKEN)");
        if (string.IsNullOrWhiteSpace(o.SchedulerName)) errors.Add("Scheduler:SchedulerName: required");
        if (string.IsNullOrWhiteSpace(o.ConsumerGroup)) errors.Add("Scheduler:ConsumerGroup: required");
        if (o.BindConcurrency is < 1 or > 1024) errors.Add($"Scheduler:BindConcurrency: {o.BindConcurrency} is not within 1..1024");
        if (o.BindBatchSize is < 1 or > 500) errors.Add($"Scheduler:BindBatchSize: {o.BindBatchSize} is not within 1..500 (the apiserver takes at most 500 bindings a request)");
        if (o.EventConcurrency is < 1 or > 64) errors.Add($"Scheduler:EventConcurrency: {o.EventConcurrency} is not within 1..64");
        if (o.EventQueueCapacity < 1) errors.Add("Scheduler:EventQueueCapacity: must be >= 1");
        if (o.Profile.PercentageOfNodesToScore is < 0 or > 100) errors.Add($"Scheduler:Profile:PercentageOfNodesToScore: {o.Profile.PercentageOfNodesToScore} is not within 0..100");
        foreach (var (plugin, s) in o.Profile.Plugins)
        {
            if (!plugins.Contains(plugin)) errors.Add($"Scheduler:Profile:Plugins:{plugin}: unknown plugin (known: {string.Join(", ", plugins.Names)})");
            if (s.Weight is < 0 or > 100) errors.Add($"Scheduler:Profile:Plugins:{plugin}:Weight: {s.Weight} is not within 0..100");
        }
        if (o.Queue.PodInitialBackoff <= TimeSpan.Zero) errors.Add("Scheduler:Queue:PodInitialBackoff: must be > 0");
        if (o.Queue.PodMaxBackoff < o.Queue.PodInitialBackoff) errors.Add("Scheduler:Queue:PodMaxBackoff: must be >= Scheduler:Queue:PodInitialBackoff");
        foreach (var r in o.NodeResourcesFit.Resources)
            if (string.IsNullOrWhiteSpace(r.Name) || r.Weight < 1) errors.Add($"Scheduler:NodeResourcesFit:Resources: '{r.Name}' needs a name and a weight >= 1");
        foreach (var p in o.NodeResourcesFit.Shape)
            if (p.Utilization is < 0 or > 100 || p.Score is < 0 or > 10) errors.Add($"Scheduler:NodeResourcesFit:Shape: point ({p.Utilization}, {p.Score}) needs utilization 0..100 and score 0..10");
        if (o.LeaderElection.Enabled && string.IsNullOrWhiteSpace(o.LeaderElection.ConnectionString))
            errors.Add("Scheduler:LeaderElection:ConnectionString: required when Scheduler:LeaderElection:Enabled (or set ConnectionStrings:Platform / PLATFORM_DATABASE_URL)");
        if (o.LeaderElection.RetryPeriod <= TimeSpan.Zero) errors.Add("Scheduler:LeaderElection:RetryPeriod: must be > 0");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
