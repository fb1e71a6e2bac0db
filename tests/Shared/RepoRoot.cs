namespace NeoCloud.Infra.Tests.Shared;

/// <summary>The repository root (the folder with NeoCloud.Infra.sln), found from the test assembly's folder; linked into every test project.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.Infra.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (NeoCloud.Infra.sln) not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The root's full path.</summary>
    public static string FullPath => Root.Value;

    /// <summary>A path below the root, from '/'-separated parts.</summary>
    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);
}
