using System.CommandLine;

namespace Platform.Ctl.Commands;

/// <summary><c>rollout status|history|undo|restart|pause|resume</c>: manage the rollout of a Deployment, DaemonSet or StatefulSet (kubectl's verbs; pause and resume are for Deployments).</summary>
public static class RolloutCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env) =>
        new("rollout", "Manage the rollout of a Deployment, DaemonSet or StatefulSet")
        {
            RolloutStatusCommand.Create(g, env),
            RolloutHistoryCommand.Create(g, env),
            RolloutUndoCommand.Create(g, env),
            RolloutRestartCommand.Create(g, env),
            RolloutPauseCommand.Create(g, env, pause: true),
            RolloutPauseCommand.Create(g, env, pause: false),
        };
}
