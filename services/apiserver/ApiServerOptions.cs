namespace Platform.ApiServer;

/// <summary>Settings bound from <c>ApiServer</c>; validated at start by <see cref="ApiServerOptionsValidator"/>.</summary>
public sealed class ApiServerOptions
{
    public const string Section = "ApiServer";

    /// <summary><c>ApiServer:StateDirectory</c>: where the generated admin token and encryption key are kept (default <c>PLATFORM_STATE</c> or <c>./.platform</c>).</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary><c>ApiServer:AdminToken</c>: the bootstrap admin token (default env <c>PLATFORM_ADMIN_TOKEN</c>); generated into <c>{StateDirectory}/apiserver-admin-token</c> when neither is set.</summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// <c>ApiServer:EncryptionKeys</c>: <c>id:base64-of-32-bytes</c> AES-256-GCM keys for Secret data. The first encrypts,
    /// all decrypt (rotation: put the new key first, restart; secrets are re-encrypted at start). When empty a key is
    /// generated into <c>{StateDirectory}/apiserver-encryption-key</c>.
    /// </summary>
    public List<string> EncryptionKeys { get; set; } = [];

    /// <summary><c>ApiServer:MaxBodyBytes</c>: largest request body accepted (413 beyond).</summary>
    public int MaxBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary><c>ApiServer:WatchHistoryRetention</c>: how far back <c>?watch=true&amp;resourceVersion=</c> can start (410 Gone beyond).</summary>
    public TimeSpan WatchHistoryRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>ApiServer:WatchBookmarkInterval</c>: how often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK event.</summary>
    public TimeSpan WatchBookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>ApiServer:RelayEnabled</c>: run the outbox relay in this process (one relay is active per database anyway).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>
    /// <c>ApiServer:TopicPrefix</c>: changes go to <c>{prefix}{plural}</c>. Keep the default <c>platform.</c> (the
    /// topics every consumer reads); another prefix lets several clusters, or test runs, share one Kafka.
    /// </summary>
    public string TopicPrefix { get; set; } = Platform.Contracts.Events.Topics.Prefix;

    /// <summary>
    /// <c>ApiServer:LoopbackCaFile</c>: the CA the apiserver trusts when its own informers (RBAC) call it over HTTPS
    /// (default env <c>PLATFORM_CA_FILE</c>); unused when it also listens on plain HTTP, which the loopback prefers.
    /// </summary>
    public string? LoopbackCaFile { get; set; }

    /// <summary><c>ApiServer:ServiceAccountIssuer</c>: the <c>iss</c> of ServiceAccount tokens, also their default audience.</summary>
    public string ServiceAccountIssuer { get; set; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>
    /// <c>ApiServer:ServiceAccountKeyFile</c>: PEM ECDSA P-256 private key that signs ServiceAccount tokens (ES256). When
    /// empty one is generated into <c>{StateDirectory}/apiserver-sa-key.pem</c>. Every apiserver of a cluster needs the same key.
    /// </summary>
    public string? ServiceAccountKeyFile { get; set; }

    /// <summary><c>ApiServer:ServiceAccountMaxTokenExpiration</c>: the longest a requested ServiceAccount token lives (longer requests are cut to it).</summary>
    public TimeSpan ServiceAccountMaxTokenExpiration { get; set; } = TimeSpan.FromHours(24);

    /// <summary><c>ApiServer:AuditLogPath</c>: the audit log (JSON lines, <c>audit.k8s.io/v1</c> Events); default <c>{StateDirectory}/audit.log</c>.</summary>
    public string? AuditLogPath { get; set; }

    /// <summary><c>ApiServer:AuditLogMaxBytes</c>: the audit log is renamed to <c>.1</c> (replacing the previous one) beyond this size.</summary>
    public long AuditLogMaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary><c>ApiServer:EventSource</c>: the CloudEvents <c>source</c> of published changes.</summary>
    public string EventSource { get; set; } = "/apiserver";

    /// <summary>
    /// <c>ApiServer:ServiceClusterIpRange</c>: the IPv4 CIDR Services' cluster IPs are allocated from (Kubernetes'
    /// <c>--service-cluster-ip-range</c>). Its network and broadcast addresses are never handed out, and its first host
    /// address (10.96.0.1) is kept out of automatic allocation for a <c>kubernetes</c> Service, as in Kubernetes.
    /// </summary>
    public string ServiceClusterIpRange { get; set; } = "10.96.0.0/16";

    /// <summary><c>ApiServer:ServiceNodePortRange</c>: <c>first-last</c> ports NodePort and LoadBalancer Services get node ports from (Kubernetes' <c>--service-node-port-range</c>).</summary>
    public string ServiceNodePortRange { get; set; } = "30000-32767";

    /// <summary>
    /// <c>ApiServer:AdvertiseAddress</c> and <c>ApiServer:AdvertisePort</c>: where in-cluster clients reach this apiserver,
    /// the endpoint of the <c>kubernetes</c> Service of <c>default</c> (Kubernetes' <c>--advertise-address</c> and
    /// <c>--secure-port</c>; default 127.0.0.1:6443). An empty address leaves the Service alone.
    /// </summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1";
    public int AdvertisePort { get; set; } = 6443;

    /// <summary>
    /// <c>ApiServer:EndpointReconcileInterval</c> and <c>ApiServer:EndpointLeaseTtl</c>: each apiserver renews its lease
    /// (<c>kube-system/apiserver-*</c>) this often, and the <c>kubernetes</c> Service's endpoints are the replicas whose
    /// lease is younger than the TTL (Kubernetes' lease endpoint reconciler: 10 s and 15 s).
    /// </summary>
    public TimeSpan EndpointReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan EndpointLeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>ApiServer:Oidc</c>: ID tokens of an OpenID Connect issuer as bearer tokens (off unless <c>IssuerUrl</c> is set).</summary>
    public Auth.Oidc.OidcOptions Oidc { get; set; } = new();

    /// <summary><c>ApiServer:GroupCommit:*</c>: group commit of single-object writes.</summary>
    public GroupCommitOptions GroupCommit { get; set; } = new();
}
