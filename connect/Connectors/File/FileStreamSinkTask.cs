using System.Globalization;
using System.Text;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.File;

/// <summary>Appends values to the file and flushes before returning, so committed offsets never run ahead of the file.</summary>
public sealed class FileStreamSinkTask : ISinkTask
{
    private string _file = "";

    public void Start(IReadOnlyDictionary<string, string> props) => _file = props[FileStreamSourceConnector.FileConfig];

    public async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var r in records) text.Append(Convert.ToString(r.Value, CultureInfo.InvariantCulture)).Append('\n');
        await using var stream = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public void Stop() { }
}
