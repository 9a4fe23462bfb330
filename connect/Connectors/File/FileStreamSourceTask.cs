using System.Text;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.File;

/// <summary>
/// Reads complete lines from where the last committed offset left off (<c>{"position":N}</c> under
/// <c>{"filename":path}</c>, as Kafka's task), so a restarted worker neither skips nor repeats a committed line.
/// </summary>
public sealed class FileStreamSourceTask : ISourceTask
{
    private string _file = "";
    private string _topic = "";
    private int _batch;
    private long _position;
    private Dictionary<string, object?> _partition = [];

    public void Start(IReadOnlyDictionary<string, string> props, ISourceTaskContext context)
    {
        _file = props[FileStreamSourceConnector.FileConfig];
        _topic = props[FileStreamSourceConnector.TopicConfig];
        _batch = int.Parse(props.GetValueOrDefault(FileStreamSourceConnector.BatchSizeConfig, "2000"), System.Globalization.CultureInfo.InvariantCulture);
        _partition = new Dictionary<string, object?> { ["filename"] = _file };
        var offset = context.Offset(_partition);
        _position = offset?.GetValueOrDefault("position") is { } p ? Convert.ToInt64(p, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public async Task<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        var records = ReadLines();
        if (records.Count == 0) await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        return records;
    }

    private List<SourceRecord> ReadLines()
    {
        var records = new List<SourceRecord>();
        if (!System.IO.File.Exists(_file)) return records;
        using var stream = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _position) _position = 0; // truncated or replaced: start over, as tail -F would
        stream.Seek(_position, SeekOrigin.Begin);
        var line = new List<byte>();
        int b;
        while (records.Count < _batch && (b = stream.ReadByte()) >= 0)
        {
            if (b != '\n')
            {
                line.Add((byte)b);
                continue;
            }
            var text = Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            _position = stream.Position;
            line.Clear();
            records.Add(new SourceRecord(_partition, new Dictionary<string, object?> { ["position"] = _position }, _topic, null,
                null, null, ConnectSchema.String, text));
        }
        // A last line without its newline is still being written: it is read once complete.
        return records;
    }

    public void Stop() { }
}
