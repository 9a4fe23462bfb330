namespace Platform.Discovery.Registry;

/// <summary>One <c>application</c> element: its upper-case name and instances.</summary>
internal sealed record ApplicationView(string Name, IReadOnlyList<InstanceView> Instances);
