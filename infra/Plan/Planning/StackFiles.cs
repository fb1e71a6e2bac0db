namespace NeoCloud.Infra.Plan.Planning;

/// <summary>Finds a stack's <c>Pulumi.&lt;stack&gt;.yaml</c> from a stack name or a path.</summary>
internal static class StackFiles
{
    /// <summary>
    /// Resolves <paramref name="stackOrPath"/>: an existing file path is used as is; otherwise a stack name is looked up
    /// as <c>Pulumi.&lt;name&gt;.yaml</c> (or <c>.yml</c>) in <paramref name="startDirectory"/> and then its parents.
    /// </summary>
    /// <returns>The full path, or null when nothing was found.</returns>
    public static string? Resolve(string stackOrPath, string startDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stackOrPath);
        var direct = Path.GetFullPath(stackOrPath, startDirectory);
        if (File.Exists(direct))
        {
            return direct;
        }

        if (stackOrPath.IndexOfAny(['/', '\\']) >= 0 || stackOrPath.EndsWith(".yaml", StringComparison.Ordinal) || stackOrPath.EndsWith(".yml", StringComparison.Ordinal))
        {
            return null;
        }

        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var ext in (ReadOnlySpan<string>)[".yaml", ".yml"])
            {
                var candidate = Path.Combine(dir.FullName, $"Pulumi.{stackOrPath}{ext}");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
