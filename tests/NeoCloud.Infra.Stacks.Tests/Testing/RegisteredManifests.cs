using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>Registered Kubernetes resources (mock-engine inputs) as the plain manifests they stand for.</summary>
internal static class RegisteredManifests
{
    /// <summary>The cluster of a Kubernetes resource: its provider is <c>&lt;cluster&gt;-kubernetes</c> (ClusterAccess).</summary>
    public static string ClusterOf(MockResourceArgs r, EnvironmentModel env)
    {
        var provider = r.Provider ?? throw new InvalidOperationException($"{r.Type} {r.Name} has no provider");
        var name = provider.Split("::").Last(p => p.EndsWith("-kubernetes", StringComparison.Ordinal) || p.Contains("-kubernetes", StringComparison.Ordinal));
        var cluster = name[..name.IndexOf("-kubernetes", StringComparison.Ordinal)];
        return env.Clusters.Single(c => c.Name == cluster).Name;
    }

    /// <summary>A registered resource as the manifest it stands for: its inputs plus apiVersion/kind from its type token.</summary>
    public static JsonObject Manifest(MockResourceArgs r)
    {
        var token = r.Type!.Split(':');
        var (group, kind) = (token[1], token[2]);
        var manifest = (JsonObject)ToJson(r.Inputs)!;
        manifest["apiVersion"] = group.StartsWith("core/", StringComparison.Ordinal) ? group["core/".Length..] : group;
        manifest["kind"] = kind;
        return manifest;
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, object> map => new JsonObject([.. map.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))]),
        ImmutableArray<object> list => new JsonArray([.. list.Select(ToJson)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d when d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => JsonValue.Create((int)d),
        double d => JsonValue.Create(d),
        int i => JsonValue.Create(i),
        _ => JsonValue.Create(value.ToString()),
    };
}
