using Platform.ApiServer.Problems;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Resources;

/// <summary>
/// What a write request asks besides its body — its field manager (<c>?fieldManager=</c>, else the User-Agent's
/// product, as Kubernetes defaults it), <c>?force=</c> for server-side apply, the subresource written — and what it
/// answers besides its result: the <c>Warning</c> headers, and what becomes of fields the schema does not
/// know, as <c>?fieldValidation=</c> asks (kube-apiserver's directive): <c>Ignore</c> drops them silently, <c>Warn</c>
/// (the default) drops them with a warning each, <c>Strict</c> refuses the write naming them — 400 for a create or
/// replace, 422 on the <c>patch</c> field for a patch, with Kubernetes' "strict decoding error" message.
/// </summary>
internal sealed class WriteRequest
{
    private const int MaxReported = 20;
    private readonly ResourceKind? _kind;
    private readonly string? _name;

    /// <param name="name">the object's name, for a patch's error message</param>
    public WriteRequest(FieldValidation validation = FieldValidation.Warn, ResourceKind? kind = null, bool patch = false, string? name = null,
        string fieldManager = "unknown", bool force = false, string? subresource = null)
    {
        Validation = validation;
        _kind = kind;
        _name = name;
        IsPatch = patch;
        FieldManager = fieldManager;
        Force = force;
        Subresource = subresource;
    }

    public FieldValidation Validation { get; }
    public bool IsPatch { get; }
    public string FieldManager { get; }
    public bool Force { get; }
    public string? Subresource { get; }
    public List<string> Messages { get; } = [];

    /// <summary>
    /// Annotations admission puts on the request's audit event (Kubernetes' <c>AuditAnnotations</c>, such as
    /// <c>pod-security.kubernetes.io/enforce-policy</c>); the audit log finds the request under <see cref="ItemKey"/>.
    /// </summary>
    public Dictionary<string, string> AuditAnnotations { get; } = [];

    /// <summary>The <c>HttpContext.Items</c> key of the request's WriteRequest.</summary>
    public const string ItemKey = "platform.write-request";

    public void Add(string message) => Messages.Add(message);

    /// <summary>Forgets what an attempt answered: a retried transaction admits again.</summary>
    public void Clear()
    {
        Messages.Clear();
        AuditAnnotations.Clear();
    }

    /// <summary>Parses <c>?fieldValidation=</c>; anything but the three directives is a 400 naming them.</summary>
    public static FieldValidation ParseDirective(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Ignore" => FieldValidation.Ignore,
        "Strict" => FieldValidation.Strict,
        _ => throw ApiProblem.BadRequest("fieldValidation", $"'{value}' is not one of Ignore, Warn, Strict"),
    };

    /// <summary>Fields of the request that the schema dropped (paths such as <c>spec.replica</c>).</summary>
    public void UnknownFields(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0 || Validation == FieldValidation.Ignore) return;
        var messages = paths.Take(MaxReported).Select(p => $"unknown field \"{p}\"").ToList();
        if (Validation == FieldValidation.Warn)
        {
            Messages.AddRange(messages);
            return;
        }
        var error = "strict decoding error: " + string.Join(", ", messages);
        if (IsPatch) throw ApiProblem.InvalidRequest(_kind?.Kind ?? "object", _name, [new FieldError("patch", error)]);
        throw ApiProblem.BadRequest(_kind is null ? error : $"{_kind.Kind} in version \"{_kind.Version}\" cannot be handled as a {_kind.Kind}: {error}");
    }
}

/// <summary>kube-apiserver's <c>fieldValidation</c> directive.</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}
