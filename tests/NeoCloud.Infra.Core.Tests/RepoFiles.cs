namespace NeoCloud.Infra.Core.Tests;

/// <summary>Locates files of the repository (stack configs) and of the test fixtures.</summary>
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

    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
}
