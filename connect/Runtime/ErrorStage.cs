namespace Platform.Connect.Runtime;

/// <summary>Where processing a record failed, as Kafka Connect names it in <c>__connect.errors.stage</c>.</summary>
internal enum ErrorStage
{
    KeyConverter,
    ValueConverter,
    Transformation,
    TaskPut,
    TaskPoll,
    KafkaProduce,
}

internal static class ErrorStageNames
{
    public static string Name(this ErrorStage stage) => stage switch
    {
        ErrorStage.KeyConverter => "KEY_CONVERTER",
        ErrorStage.ValueConverter => "VALUE_CONVERTER",
        ErrorStage.Transformation => "TRANSFORMATION",
        ErrorStage.TaskPut => "TASK_PUT",
        ErrorStage.TaskPoll => "TASK_POLL",
        _ => "KAFKA_PRODUCE",
    };
}
