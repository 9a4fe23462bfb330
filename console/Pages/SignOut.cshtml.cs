using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Console.Auth;

namespace Platform.Console.Pages;

/// <summary>POST only (with the antiforgery token): drops the sign-in cookie.</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleUser.Scheme);
        return LocalRedirect("/signin");
    }
}
