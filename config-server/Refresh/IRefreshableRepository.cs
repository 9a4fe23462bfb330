namespace Platform.ConfigServer.Refresh;

/// <summary>A backend that caches its source (a git clone) and can be told to update it now, e.g. by a webhook.</summary>
internal interface IRefreshableRepository
{
    Task RefreshAsync(CancellationToken cancellationToken);
}
