using System.Text;

namespace Platform.Gateway.RateLimiting.Fleet;

/// <summary>
/// Highest-random-weight hashing: a key goes to the member whose hash with it is largest, so every replica holding the
/// same member list picks the same owner, and a member joining or leaving moves only the keys it wins or held.
/// </summary>
internal static class RendezvousHash
{
    public static string Owner(IReadOnlyList<string> members, string key)
    {
        var best = members[0];
        var bestScore = 0UL;
        foreach (var m in members)
        {
            var score = Mix(Fnv(m) ^ Fnv(key));
            if (score > bestScore || (score == bestScore && string.CompareOrdinal(m, best) < 0)) (best, bestScore) = (m, score);
        }
        return best;
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    // splitmix64's finaliser: FNV of two strings XORed is not uniform enough on its own to compare.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
