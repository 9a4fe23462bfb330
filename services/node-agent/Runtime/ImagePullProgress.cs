using System.Globalization;
using Docker.DotNet.Models;

namespace Platform.NodeAgent.Runtime;

/// <summary>Where a pull stands, summed over its layers from Docker's per-layer progress messages.</summary>
internal sealed record ImagePullProgress(int LayersDone, int Layers, long BytesDone, long BytesTotal)
{
    /// <summary>"2/3 layers, 12.1 of 45.6 MB": the waiting message a pulling container shows.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{LayersDone}/{Layers} layers");
        return BytesTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $"{text}, {BytesDone / 1e6:0.0} of {BytesTotal / 1e6:0.0} MB") : text;
    }

    /// <summary>Folds Docker's JSON messages (one per layer event) into totals.</summary>
    internal sealed class Tracker
    {
        private readonly Dictionary<string, (long Done, long Total, bool Complete)> _layers = [];

        /// <summary>The new totals, or null when the message is not about a layer.</summary>
        public ImagePullProgress? Add(JSONMessage m)
        {
            if (string.IsNullOrEmpty(m.ID) || m.Status is null) return null;
            _layers.TryGetValue(m.ID, out var layer);
            layer = m.Status switch
            {
                "Pulling fs layer" or "Waiting" => layer,
                "Downloading" => (m.Progress?.Current ?? layer.Done, m.Progress?.Total ?? layer.Total, false),
                "Download complete" or "Verifying Checksum" or "Extracting" => (layer.Total, layer.Total, false),
                "Pull complete" or "Already exists" => (layer.Total, layer.Total, true),
                _ => layer,
            };
            if (m.Status.StartsWith("Pulling from", StringComparison.Ordinal) || m.Status.StartsWith("Digest:", StringComparison.Ordinal)
                || m.Status.StartsWith("Status:", StringComparison.Ordinal)) return null;
            _layers[m.ID] = layer;
            return new ImagePullProgress(_layers.Values.Count(l => l.Complete), _layers.Count, _layers.Values.Sum(l => l.Done), _layers.Values.Sum(l => l.Total));
        }
    }
}
