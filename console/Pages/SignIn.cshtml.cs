using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Console.Auth;

namespace Platform.Console.Pages;

/// <summary>Takes a bearer token, asks the apiserver whose it is, and keeps it in the encrypted sign-in cookie.</summary>
internal sealed class SignInModel(TokenSignIn signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
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
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
