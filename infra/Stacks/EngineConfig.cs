using System.Text.Json;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Stacks;

/// <summary>
/// Reads the stack's configuration from the same source Pulumi's <c>Deployment</c> reads: the <c>PULUMI_CONFIG</c>
/// (JSON object, <c>"ns:key"</c> → string; structured values as JSON text) and <c>PULUMI_CONFIG_SECRET_KEYS</c>
/// (JSON array) environment variables the language host sets. Reading them directly lets the program bind and validate
/// the configuration before <c>Deployment.RunAsync</c> registers anything.
/// </summary>
public static class EngineConfig
{
    /// <summary>The environment variable holding the configuration map.</summary>
    public const string ConfigVariable = "PULUMI_CONFIG";

    /// <summary>The environment variable holding the secret keys.</summary>
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    /// <summary>The environment variable holding the stack name.</summary>
    public const string StackVariable = "PULUMI_STACK";

    /// <summary>Reads the current process's configuration.</summary>
    /// <exception cref="EnvironmentConfigException">The variables are not the JSON the engine writes.</exception>
    public static StackConfig FromEnvironment() => Parse(
        Environment.GetEnvironmentVariable(ConfigVariable),
        Environment.GetEnvironmentVariable(SecretKeysVariable),
        Environment.GetEnvironmentVariable(StackVariable));

    /// <summary>Parses the engine's configuration documents.</summary>
    /// <param name="configJson">The <c>PULUMI_CONFIG</c> document, or null when no configuration is set.</param>
    /// <param name="secretKeysJson">The <c>PULUMI_CONFIG_SECRET_KEYS</c> document, or null.</param>
    /// <param name="stackName">The stack name, or null.</param>
    /// <exception cref="EnvironmentConfigException">A document is not the JSON the engine writes.</exception>
    public static StackConfig Parse(string? configJson, string? secretKeysJson, string? stackName)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new List<string>();
        try
        {
            if (!string.IsNullOrWhiteSpace(configJson))
            {
                using var doc = JsonDocument.Parse(configJson);
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    // Deployment does the same: the raw text of string values, JSON text of anything else.
                    config[prop.Name] = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText();
                }
            }

            if (!string.IsNullOrWhiteSpace(secretKeysJson))
            {
                using var doc = JsonDocument.Parse(secretKeysJson);
                secrets.AddRange(doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? string.Empty));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new EnvironmentConfigException([new ConfigError(ConfigVariable, $"is not the JSON object the Pulumi engine writes: {ex.Message}")]);
        }

        return StackConfig.FromEngine(config, secrets, string.IsNullOrEmpty(stackName) ? null : stackName);
    }
}

/// <summary>The program as tests and benchmarks run it under the mock engine: read, bind (or throw), compose.</summary>
public static class StackProgram
{
    /// <summary>
    /// Reads the engine's configuration, binds it (throwing <see cref="EnvironmentConfigException"/> with every problem
    /// before any resource is created) and composes the stack; returns the stack outputs.
    /// </summary>
    public static IDictionary<string, object?> Run() =>
        new EnvironmentStack(EnvironmentBinder.BindOrThrow(EngineConfig.FromEnvironment())).Outputs;
}
