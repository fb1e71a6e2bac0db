namespace NeoCloud.Infra.Components;

/// <summary>The resource-name guard of the gpu slice's constructors (run before the Args are planned).</summary>
internal static class ComponentNames
{
    /// <summary><paramref name="name"/>, or <see cref="ArgumentException"/> when it is null or empty.</summary>
    public static string Required(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }
}
