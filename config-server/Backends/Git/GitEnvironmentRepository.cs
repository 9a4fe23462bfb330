using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Options;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Refresh;

namespace Platform.ConfigServer.Backends.Git;

/// <summary>
/// A local bare clone of the repository, fetched at most every <see cref="GitOptions.RefreshRateSeconds"/>
/// (Spring pulls on every request, 0.4–5 s each). Labels resolve to a branch, a tag or a commit id; the files
/// of that commit are parsed once and cached by commit id, so a warm request touches no disk and no lock.
/// A failed fetch keeps serving the last fetched state; a repository that never could be cloned is a 503
/// naming the URI.
/// </summary>
internal sealed partial class GitEnvironmentRepository : IEnvironmentRepository, IRefreshableRepository, IDisposable
{
    private const int MaxCachedEnvironments = 10_000;
    private readonly GitOptions _options;
    private readonly DocumentLimitsOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<GitEnvironmentRepository> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _labelToCommit = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<PropertySource>> _sources = new(StringComparer.Ordinal);
    private readonly string _cloneDir;
    private readonly string _uri;
    private Repository? _repository;
    private long _lastFetch;

    public GitEnvironmentRepository(IOptions<GitOptions> options, IOptions<DocumentLimitsOptions> limits, TimeProvider time,
        ILogger<GitEnvironmentRepository> logger)
    {
        _options = options.Value;
        _limits = limits.Value;
        _time = time;
        _logger = logger;
        _uri = _options.Uri!;
        _cloneDir = _options.BaseDir ?? Path.Combine(Path.GetTempPath(), "platform-config-git-" +
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_uri)))[..16]);
    }

    public string Name => "git " + _uri;

    public int Order => _options.Order;

    public async Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var label = request.Label ?? _options.DefaultLabel;
        var sha = await ResolveAsync(label, cancellationToken);
        var key = $"{sha}|{label}|{request.Application}|{string.Join(',', request.Profiles)}";
        if (!_sources.TryGetValue(key, out var sources))
        {
            sources = await WithRepositoryAsync(repo =>
            {
                var commit = repo.Lookup<Commit>(sha);
                return (IReadOnlyList<PropertySource>)FolderPropertyLoader.Load(new GitFileTree(commit, _uri, _limits), SearchPaths, request, label);
            }, cancellationToken);
            if (_sources.Count >= MaxCachedEnvironments) _sources.Clear();
            _sources[key] = sources;
        }
        return new RepositoryResult(sources, sha, label);
    }

    public async Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken)
    {
        var label = request.Label ?? _options.DefaultLabel;
        var sha = await ResolveAsync(label, cancellationToken);
        return await WithRepositoryAsync(repo =>
            FolderPropertyLoader.FindPlainText(new GitFileTree(repo.Lookup<Commit>(sha), _uri, _limits), SearchPaths, request, label, path), cancellationToken);
    }

    /// <summary>Fetches now, whatever the refresh rate (webhook or bus refresh).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureClonedLocked();
            FetchLocked(throwOnError: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Clones (at start when configured) so a wrong URI is reported before the first request.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try { EnsureClonedLocked(); }
        finally { _gate.Release(); }
    }

    private IReadOnlyList<string> SearchPaths => _options.SearchPaths.Count == 0 ? [""] : _options.SearchPaths;

    private async Task<string> ResolveAsync(string label, CancellationToken cancellationToken)
    {
        var stale = _options.RefreshRateSeconds == 0 || _time.GetElapsedTime(Interlocked.Read(ref _lastFetch)).TotalSeconds >= _options.RefreshRateSeconds;
        if (!stale && _labelToCommit.TryGetValue(label, out var known)) return known;
        return await WithRepositoryAsync(repo =>
        {
            if (_options.RefreshRateSeconds == 0 || _time.GetElapsedTime(Interlocked.Read(ref _lastFetch)).TotalSeconds >= _options.RefreshRateSeconds)
                FetchLocked(throwOnError: false);
            if (_labelToCommit.TryGetValue(label, out var cached)) return cached;
            var commit = ResolveLabel(repo, label) ?? throw new LabelNotFoundException(label, Name);
            _labelToCommit[label] = commit.Sha;
            return commit.Sha;
        }, cancellationToken);
    }

    private static Commit? ResolveLabel(Repository repo, string label)
    {
        if (repo.Refs[$"refs/remotes/origin/{label}"]?.ResolveToDirectReference()?.Target is Commit branch) return branch;
        if (repo.Tags[label]?.PeeledTarget is Commit tag) return tag;
        if (label.Length is >= 4 and <= 40 && label.All(char.IsAsciiHexDigit))
        {
            try { return repo.Lookup<Commit>(label); }
            catch (AmbiguousSpecificationException) { return null; }
        }
        return null;
    }

    private async Task<T> WithRepositoryAsync<T>(Func<Repository, T> action, CancellationToken cancellationToken)
    {
        // libgit2 objects are not safe to share across threads; reads of the clone are serialized.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return action(EnsureClonedLocked());
        }
        finally
        {
            _gate.Release();
        }
    }

    private Repository EnsureClonedLocked()
    {
        if (_repository is not null) return _repository;
        try
        {
            if (Repository.IsValid(_cloneDir))
            {
                _repository = new Repository(_cloneDir);
                FetchLocked(throwOnError: false);
                return _repository;
            }
            if (Directory.Exists(_cloneDir)) Directory.Delete(_cloneDir, recursive: true);
            var options = new CloneOptions { IsBare = true };
            options.FetchOptions.CredentialsProvider = Credentials;
            Repository.Clone(_uri, _cloneDir, options);
            _repository = new Repository(_cloneDir);
            FetchLocked(throwOnError: true);
            LogCloned(_logger, _uri, _cloneDir);
            return _repository;
        }
        catch (LibGit2SharpException ex)
        {
            _repository?.Dispose();
            _repository = null;
            throw new BackendUnavailableException($"git repository '{_uri}' cannot be read: {ex.Message}", ex);
        }
    }

    private void FetchLocked(bool throwOnError)
    {
        var repo = _repository!;
        try
        {
            var fetch = new FetchOptions { Prune = true, TagFetchMode = TagFetchMode.All, CredentialsProvider = Credentials };
            Commands.Fetch(repo, "origin", ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], fetch, null);
            _labelToCommit.Clear();
            Interlocked.Exchange(ref _lastFetch, _time.GetTimestamp());
        }
        catch (LibGit2SharpException ex)
        {
            if (throwOnError) throw new BackendUnavailableException($"git repository '{_uri}' cannot be fetched: {ex.Message}", ex);
            LogFetchFailed(_logger, ex, _uri);
            // Serve the last fetched state, and try again only after another refresh interval.
            Interlocked.Exchange(ref _lastFetch, _time.GetTimestamp());
        }
    }

    private Credentials? Credentials(string url, string? user, SupportedCredentialTypes types) =>
        string.IsNullOrEmpty(_options.Username) ? null
            : new UsernamePasswordCredentials { Username = _options.Username, Password = _options.Password };

    public void Dispose()
    {
        _repository?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(EventId = 8301, Level = LogLevel.Information, Message = "cloned {Uri} into {Directory}")]
    private static partial void LogCloned(ILogger logger, string uri, string directory);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Warning, Message = "fetching {Uri} failed; serving the last fetched state")]
    private static partial void LogFetchFailed(ILogger logger, Exception ex, string uri);
}
