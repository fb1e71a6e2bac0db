namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>Locates files of the repository: stack configs and the Core tests' invalid-config fixtures.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.Infra.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (NeoCloud.Infra.sln) not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string StackFile(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");

    public static string InvalidFixtureDirectory => Path.Combine(Root, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "invalid");
}
