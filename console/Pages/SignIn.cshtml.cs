using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Platform.Console.Auth;

namespace Platform.Console.Pages;

/// <summary>
/// Takes a bearer token, asks the apiserver whose it is, and keeps it in the encrypted sign-in cookie; with
/// <c>Console:Oidc</c> also offers the provider's sign-in (<see cref="OidcSignIn"/>).
/// </summary>
internal sealed class SignInModel(TokenSignIn signIn, IOptions<ConsoleOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set by the OIDC failure redirect; only this fixed value is recognised, never shown as given.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Failed { get; set; }

    public string? Error { get; private set; }

    /// <summary>The provider named on the "Sign in with" button, or null without <c>Console:Oidc</c>.</summary>
    public string? OidcProvider => options.Value.Oidc.Enabled ? options.Value.Oidc.ButtonName : null;

    public void OnGet()
    {
        if (Failed == "oidc") Error = $"Sign-in with {OidcProvider} did not complete, or the apiserver does not accept its ID token (the console's log says why).";
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        var outcome = await signIn.ReviewAsync(token, ct);
        if (outcome.UserName is null)
        {
            Error = outcome.Error;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleUser.Scheme, ConsoleUser.Principal(outcome.UserName, outcome.Groups, token!.Trim()));
        return LocalRedirect(LocalReturnUrl);
    }

    /// <summary>POST (antiforgery-checked, as every form here) "Sign in with the provider": off to its authorize endpoint.</summary>
    public IActionResult OnPostOidc()
    {
        if (OidcProvider is null) return NotFound();
        // Back through the Done handler below, not straight to the page: see there.
        var done = Url.Page("/SignIn", "Done", new { returnUrl = LocalReturnUrl })!;
        return Challenge(new AuthenticationProperties { RedirectUri = done }, OidcSignIn.Scheme);
    }

    /// <summary>
    /// After the provider: a page that moves on by itself. The sign-in cookie is SameSite=Strict, and browsers do not send
    /// it on a navigation whose redirect chain began at another site (the provider); a refresh from this page is
    /// same-site, so the next page is reached signed in.
    /// </summary>
    public IActionResult OnGetDone() => Page();

    public bool IsDone => string.Equals(Request.Query["handler"], "Done", StringComparison.Ordinal);

    public string LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
