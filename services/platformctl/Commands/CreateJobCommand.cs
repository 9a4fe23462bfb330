using System.CommandLine;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>create job NAME --image=IMAGE [-- COMMAND [ARGS...]]</c> and <c>create job NAME --from=cronjob/CRONJOB</c>, as
/// kubectl makes them: one container named after the Job with <c>restartPolicy: Never</c>, or the CronJob's job
/// template run by hand (annotated <c>cronjob.kubernetes.io/instantiate: manual</c>, owned by the CronJob).
/// </summary>
public static class CreateJobCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var name = new Argument<string>("name");
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "the container's command, after --" };
        var image = new Option<string?>("--image") { Description = "the image of the Job's one container" };
        var from = new Option<string?>("--from") { Description = "cronjob/NAME: run a CronJob's job template now" };
        var cmd = new Command("job", "Create a Job") { name, command, image, from };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            using var session = CtlSession.Create(parse, g, env);
            var jobName = parse.GetValue(name)!;
            var (img, source) = (parse.GetValue(image), parse.GetValue(from));
            if ((img is null) == (source is null)) throw new CtlException("either --image or --from must be specified");
            var job = source is null ? FromImage(jobName, img!, parse.GetValue(command) ?? [])
                : await FromCronJobAsync(session, jobName, source, ct);
            await session.Api.CreateAsync(ResourceKinds.Job, session.Namespace, job, ct);
            await env.Out.WriteLineAsync($"job.batch/{jobName} created");
        }));
        return cmd;
    }

    private static JsonObject FromImage(string name, string image, string[] command)
    {
        var container = new JsonObject { ["name"] = name, ["image"] = image };
        if (command.Length > 0) container["command"] = new JsonArray([.. command.Select(c => (JsonNode?)c)]);
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container), ["restartPolicy"] = "Never" } },
            },
        };
    }

    private static async Task<JsonObject> FromCronJobAsync(CtlSession session, string name, string source, CancellationToken ct)
    {
        var slash = source.IndexOf('/');
        if (slash <= 0 || ResourceKinds.Find(source[..slash]) != ResourceKinds.CronJob)
            throw new CtlException($"from must be of form cronjob/name, not \"{source}\"");
        var cronName = source[(slash + 1)..];
        var cron = await session.Api.GetAsync(ResourceKinds.CronJob, session.Namespace, cronName, ct)
            ?? throw new CtlException($"cronjobs.batch \"{cronName}\" not found");
        var template = cron["spec"]?["jobTemplate"];
        var annotations = template?["metadata"]?["annotations"]?.DeepClone() as JsonObject ?? [];
        annotations["cronjob.kubernetes.io/instantiate"] = "manual";
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = template?["metadata"]?["labels"]?.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["name"] = cronName,
                    ["uid"] = cron["metadata"]?["uid"]?.DeepClone(), ["controller"] = true,
                }),
            },
            ["spec"] = template?["spec"]?.DeepClone(),
        };
    }
}
