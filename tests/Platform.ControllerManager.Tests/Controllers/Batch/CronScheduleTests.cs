using Cronos;
using Platform.Contracts.Resources;
using Platform.Contracts.Validation;
using Platform.ControllerManager.Controllers.CronJob;
using Platform.ControllerManager.Controllers.Job;

namespace Platform.ControllerManager.Tests.Controllers.Batch;

/// <summary>The pieces of the batch controllers that need no cluster: the schedule, missed runs, index ranges, failure rules.</summary>
public sealed class CronScheduleTests
{
    private static CronJob Cron(string schedule, string? zone = null) => new()
    {
        Metadata = new ObjectMeta { Name = "c", CreationTimestamp = DateTimeOffset.Parse("2026-03-01T00:00:00Z") },
        Spec = new CronJobSpec { Schedule = schedule, TimeZone = zone },
    };

    [Theory]
    [InlineData("*/1 * * * *"), InlineData("0 9 * * mon-fri"), InlineData("15,45 */2 1-15 jan,jul *"), InlineData("0 0 ? * SUN"), InlineData("5/10 * * * *")]
    [InlineData("@hourly"), InlineData("@daily"), InlineData("@midnight"), InlineData("@weekly"), InlineData("@monthly"), InlineData("@yearly"), InlineData("@annually")]
    public void SchedulesTheApiserverAccepts_CronosParsesToo(string schedule)
    {
        var fields = CronSyntax.Expand(schedule, out var error);
        Assert.Null(error);
        CronExpression.Parse(fields!);
        Assert.NotNull(CronSchedule.Of(Cron(schedule), out _));
    }

    [Theory]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("60 * * * *", "end of range (60) above maximum (59): 60")]
    [InlineData("* * 0 * *", "beginning of range (0) below minimum (1): 0")]
    [InlineData("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1")]
    [InlineData("* * * foo *", "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax")]
    [InlineData("@every 5m", "unrecognized descriptor: @every 5m")]
    public void BadSchedules_AreRefusedWithRobfigCronsMessages(string schedule, string message)
    {
        Assert.Null(CronSyntax.Expand(schedule, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void MostRecent_CountsEveryMissedRun_AndReturnsOnlyTheLatest_InTheCronJobsTimeZone()
    {
        var every = CronSchedule.Of(Cron("*/1 * * * *"), out _)!;
        var from = DateTimeOffset.Parse("2026-03-01T10:00:30Z");
        var (latest, missed) = every.MostRecent(from, from.AddMinutes(150));
        Assert.Equal(150, missed);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T12:30:00Z"), latest);
        Assert.Equal((null, 0), every.MostRecent(from, from.AddSeconds(20)));

        // 06:30 in Paris is 05:30 UTC in winter.
        var paris = CronSchedule.Of(Cron("30 6 * * *", "Europe/Paris"), out _)!;
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T05:30:00Z"), paris.Next(DateTimeOffset.Parse("2026-03-02T00:00:00Z")));
        Assert.Null(CronSchedule.Of(Cron("@daily", "Mars/Olympus_Mons"), out var zoneError));
        Assert.Equal("unknown time zone Mars/Olympus_Mons", zoneError);
    }

    [Fact]
    public void JobNames_AreTheScheduledMinuteSinceTheEpoch()
    {
        Assert.Equal("c-29538720", CronJobController.JobName(Cron("@hourly"), DateTimeOffset.Parse("2026-03-01T00:00:00Z")));
    }

    [Fact]
    public void CompletedIndexes_AreWrittenAsRanges_AndReadBack()
    {
        Assert.Equal("0-2,5,7-8", IndexRanges.Format([8, 0, 1, 2, 5, 7, 1]));
        Assert.Null(IndexRanges.Format([]));
        Assert.Equal([0, 1, 2, 5], IndexRanges.Parse("0-2,5,9,x-1", completions: 9));
    }

    [Fact]
    public void PodFailurePolicy_FirstMatchingRuleDecides_OnExitCodesInOrNotIn()
    {
        static Pod Failed(string container, int code) => new()
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "ns" },
            Status = new PodStatus { Phase = "Failed", ContainerStatuses = [new ContainerStatus { Name = container, State = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = code } } }] },
        };
        var policy = new PodFailurePolicy
        {
            Rules =
            [
                new PodFailurePolicyRule { Action = "Ignore", OnExitCodes = new() { ContainerName = "side", Operator = "In", Values = [1] } },
                new PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new() { Operator = "In", Values = [42] } },
                new PodFailurePolicyRule { Action = "Count", OnExitCodes = new() { Operator = "NotIn", Values = [42, 43] } },
            ],
        };
        Assert.Equal("Ignore", PodFailurePolicyMatcher.Match(policy, Failed("side", 1))?.Action);
        var failJob = PodFailurePolicyMatcher.Match(policy, Failed("main", 42));
        Assert.Equal(("FailJob", "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1"), failJob);
        Assert.Equal("Count", PodFailurePolicyMatcher.Match(policy, Failed("main", 1))?.Action);
        Assert.Null(PodFailurePolicyMatcher.Match(policy, Failed("main", 43)));
    }
}
