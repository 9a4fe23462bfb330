using System.CommandLine;

namespace Platform.Ctl.Commands;

/// <summary><c>rollout status|history|undo|pause|resume</c>: manage a Deployment's rollout (kubectl's verbs).</summary>
public static class RolloutCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env) =>
        new("rollout", "Manage the rollout of a Deployment")
        {
            RolloutStatusCommand.Create(g, env),
            RolloutHistoryCommand.Create(g, env),
            RolloutUndoCommand.Create(g, env),
            RolloutPauseCommand.Create(g, env, pause: true),
            RolloutPauseCommand.Create(g, env, pause: false),
        };
}
