using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>Render-to-directory never writes a generated secret value to disk.</summary>
public sealed class RenderedSecretsTests
{
    [Fact]
    public async Task Dev_secrets_are_rendered_with_placeholders_only()
    {
        var run = await StackRun.StackAsync("dev");
        var secrets = run.Mocks.OfType("kubernetes:core/v1:Secret");
        Assert.NotEmpty(secrets);
        foreach (var secret in secrets)
        {
            Assert.False(secret.Map().ContainsKey("data") && secret.Map("data").Count > 0, $"{secret.Name} has data");
            Assert.All(secret.Map("stringData").Values, v => Assert.Equal(RenderedSecrets.Placeholder, v));
            Assert.Equal("values-redacted", secret.Map("metadata", "annotations")[RenderedSecrets.Annotation]);
        }
    }

    [Fact]
    public async Task Applied_clusters_keep_their_secret_values()
    {
        var run = await StackRun.StackAsync("prod");
        Assert.All(run.Mocks.OfType("kubernetes:core/v1:Secret"), s => Assert.DoesNotContain(RenderedSecrets.Placeholder, s.Map("stringData").Values));
    }
}
