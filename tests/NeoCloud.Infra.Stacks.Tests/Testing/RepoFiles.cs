using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>Locates files of the repository: stack configs and the Core tests' invalid-config fixtures.</summary>
internal static class RepoFiles
{
    public static string Root => RepoRoot.FullPath;

    public static string StackFile(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");

    public static string InvalidFixtureDirectory => Path.Combine(Root, "tests", "NeoCloud.Infra.Core.Tests", "Fixtures", "invalid");
}
