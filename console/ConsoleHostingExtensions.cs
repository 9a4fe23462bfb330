using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.Console.Apiserver;
using Platform.Console.Auth;
using Platform.Console.Connect;
using Platform.Console.Live;
using Platform.Console.Registry;

namespace Platform.Console;

/// <summary><c>AddConsole()</c> and <c>MapConsole()</c>: the web console's services, pages and live endpoints.</summary>
public static class ConsoleHostingExtensions
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddHttpContextAccessor();
        // One URL or the replicas' (comma-separated): a replica that cannot be reached is passed over, as in every component.
        services.AddSingleton(sp => ApiServerEndpoints.Parse(sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.ApiServerUrl, $"{ConsoleOptions.Section}:ApiServerUrl"));
        services.AddHttpClient(ApiServerClients.HttpClientName, (sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<ApiServerEndpoints>().Replicas[0];
            // Log streams stay open as long as the page does; each read has the request's cancellation instead.
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).ConfigurePrimaryHttpMessageHandler(sp => ApiServerTrust.Handler(sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.CaFile))
          .AddHttpMessageHandler(sp => new FailoverHandler(sp.GetRequiredService<ApiServerEndpoints>()));
        services.AddSingleton<ApiServerClients>();
        services.AddScoped<UserApi>();
        services.AddSingleton<TokenSignIn>();

        var keys = builder.Configuration[$"{ConsoleOptions.Section}:KeysDirectory"];
        var protection = services.AddDataProtection().SetApplicationName("platform-console");
        if (!string.IsNullOrEmpty(keys)) protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        var oidc = builder.Configuration.GetSection($"{ConsoleOptions.Section}:Oidc").Get<ConsoleOidcOptions>() ?? new();
        services.AddAuthentication(ConsoleUser.Scheme).AddCookie(ConsoleUser.Scheme, o =>
        {
            // The cookie holds the user's bearer token, encrypted and signed by Data Protection; scripts never see it
            // and no other site's request carries it.
            o.Cookie.Name = ConsoleUser.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events = new CookieAuthenticationEvents
            {
                // Streams and scripts get a 401 they can act on, pages a redirect to the sign-in page.
                OnRedirectToLogin = c =>
                {
                    if (c.Request.Path.StartsWithSegments("/live")) c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else c.Response.Redirect(c.RedirectUri);
                    return Task.CompletedTask;
                },
                OnValidatePrincipal = OidcSignIn.ValidatePrincipalAsync,
            };
        }).AddConsoleOidc(oidc);
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "platform-console-csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });

        services.AddConsoleLiveEvents(builder.Configuration);
        services.AddConsoleRegistry();
        services.AddSingleton<Kafka.KafkaInspector>();
        services.AddConsoleConnect();
        services.AddHttpClient(Config.ConfigServerClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<Config.ConfigServerClient>();
        services.AddHttpClient(Gateway.GatewayMetrics.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<Gateway.GatewayMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<Gateway.GatewayMetrics>());
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        // form-action also governs where a form's response may redirect: "Sign in with <provider>" posts here and is sent
        // on to the provider's authorize endpoint, so its origin is allowed too (only with Console:Oidc).
        var oidc = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Oidc;
        var formAction = oidc.Enabled && Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}" : "'self'";
        var csp = $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action {formAction}; base-uri 'none'";
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = csp;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(ConsoleHostingExtensions).Assembly, "Platform.Console.Assets"),
            RequestPath = "/assets",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorPages();
        app.MapConsoleLiveApi();
        return app;
    }
}
