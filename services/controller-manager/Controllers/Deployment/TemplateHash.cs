using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Deployment;

/// <summary>
/// The <c>pod-template-hash</c> label: FNV-1a of the template's JSON, written in Kubernetes' vowel-free alphabet so
/// it never spells a word. Identical templates give the same ReplicaSet, which is how a rollback finds its old one.
/// </summary>
internal static class TemplateHash
{
    public const string Label = "pod-template-hash";
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>
    /// The hash of <paramref name="template"/>; a <paramref name="collisionCount"/> above 0 is hashed in too, so a
    /// ControllerRevision name taken by another template is avoided by bumping it (as Kubernetes' ComputeHash does).
    /// </summary>
    public static string Of(PodTemplateSpec? template, int collisionCount = 0)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(template ?? new PodTemplateSpec(), ResourceJson.Options);
        var hash = 2166136261u;
        foreach (var b in collisionCount > 0 ? bytes.Concat(BitConverter.GetBytes(collisionCount)) : bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(hash % (uint)Alphabet.Length)];
            hash /= (uint)Alphabet.Length;
            if (hash == 0) return new string(chars, 0, i + 1);
        }
        return new string(chars);
    }

    /// <summary>The template with the hash label added (what the ReplicaSet and its pods carry).</summary>
    public static PodTemplateSpec WithLabel(PodTemplateSpec template, string hash)
    {
        var meta = template.Metadata ?? new ObjectMeta();
        return template with { Metadata = meta with { Labels = new Dictionary<string, string>(meta.Labels ?? []) { [Label] = hash } } };
    }

    /// <summary>The template without the hash label (what a rollback copies back into the Deployment).</summary>
    public static PodTemplateSpec WithoutLabel(PodTemplateSpec template)
    {
        var meta = template.Metadata ?? new ObjectMeta();
        var labels = new Dictionary<string, string>(meta.Labels ?? []);
        labels.Remove(Label);
        return template with { Metadata = meta with { Labels = labels } };
    }
}
