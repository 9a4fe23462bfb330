using Microsoft.Extensions.Options;

namespace Platform.Discovery.Client.Configuration;

/// <summary>Reports every invalid <c>eureka:instance</c> setting at start (only when registering), naming its key.</summary>
internal sealed class EurekaInstanceOptionsValidator(IOptions<EurekaClientOptions> client) : IValidateOptions<EurekaInstanceOptions>
{
    public ValidateOptionsResult Validate(string? name, EurekaInstanceOptions o)
    {
        var errors = new List<string>();
        if (!client.Value.ShouldRegisterWithEureka) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(o.AppName)) errors.Add("spring:application:name: required (or eureka:instance:appName)");
        if (o.Port is < 0 or > 65535) errors.Add("eureka:instance:port: must be 0-65535 (0 = the port Kestrel bound)");
        if (o.LeaseRenewalIntervalInSeconds <= 0) errors.Add("eureka:instance:leaseRenewalIntervalInSeconds: must be > 0");
        if (o.LeaseExpirationDurationInSeconds <= o.LeaseRenewalIntervalInSeconds)
            errors.Add("eureka:instance:leaseExpirationDurationInSeconds: must be greater than leaseRenewalIntervalInSeconds");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
