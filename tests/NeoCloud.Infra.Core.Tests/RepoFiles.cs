using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Core.Tests;

/// <summary>Locates files of the repository (stack configs) and of the test fixtures.</summary>
internal static class RepoFiles
{
    public static string Root => RepoRoot.FullPath;

    public static string StackFile(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");

    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
}
