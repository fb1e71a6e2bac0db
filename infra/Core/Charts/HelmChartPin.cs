namespace NeoCloud.Infra.Core.Charts;

/// <summary>
/// A third-party Helm chart pinned to one version: the single place its repository, name and version are written
/// (each integration declares one, e.g. <c>KedaChart.Pin</c>), referenced by code, docs and tests.
/// </summary>
/// <param name="Repository">The chart repository URL.</param>
/// <param name="Chart">The chart name in the repository.</param>
/// <param name="Version">The pinned chart version.</param>
public sealed record HelmChartPin(string Repository, string Chart, string Version);
