using NeoCloud.Infra.Core.Charts;

namespace NeoCloud.Infra.Core.VectorDb;

/// <summary>The pinned Qdrant Helm chart (one place: code, docs and tests read it).</summary>
public static class QdrantChart
{
    /// <summary>The official chart repository.</summary>
    public const string Repository = "https://qdrant.github.io/qdrant-helm";

    /// <summary>Chart name.</summary>
    public const string Name = "qdrant";

    /// <summary>
    /// Pinned chart version (app version v1.19.0): qdrant/qdrant-helm tag <c>qdrant-1.19.0</c>, charts/qdrant/Chart.yaml
    /// <c>version: 1.19.0</c>, <c>appVersion: v1.19.0</c> (the newest 1.19.x tag in the repository, 2026-08).
    /// </summary>
    public const string Version = "1.19.0";

    /// <summary>The pinned chart: <see cref="Repository"/>, <see cref="Name"/>, <see cref="Version"/>.</summary>
    public static readonly HelmChartPin Pin = new(Repository, Name, Version);

    /// <summary>Key of the API key in the component's Secret.</summary>
    public const string ApiKeySecretKey = "api-key";

    /// <summary>Qdrant's REST port.</summary>
    public const int HttpPort = 6333;

    /// <summary>Qdrant's gRPC port.</summary>
    public const int GrpcPort = 6334;
}
