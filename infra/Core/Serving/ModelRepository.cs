namespace NeoCloud.Infra.Core.Serving;

/// <summary>
/// A Triton model repository in an S3-compatible bucket.
/// </summary>
/// <param name="Endpoint">
/// The S3-compatible endpoint (<c>http(s)://host[:port]</c>, e.g. a Rook-Ceph RGW Service), or null for AWS S3 itself
/// (the region then comes from the credentials Secret's <c>AWS_DEFAULT_REGION</c>).
/// </param>
/// <param name="Bucket">Bucket name.</param>
/// <param name="Prefix">Key prefix of the repository inside the bucket (no leading or trailing slash), or empty.</param>
public sealed record ModelRepository(Uri? Endpoint, string Bucket, string Prefix)
{
    /// <summary>
    /// The <c>--model-repository</c> value Triton expects: <c>s3://bucket/prefix</c> for AWS;
    /// <c>s3://host:port/bucket/prefix</c> for an HTTP S3-compatible endpoint; <c>s3://https://host:port/bucket/prefix</c>
    /// for an HTTPS one (Triton speaks HTTP to non-AWS endpoints unless the scheme is given).
    /// </summary>
    public string TritonPath
    {
        get
        {
            var tail = string.IsNullOrEmpty(Prefix) ? Bucket : $"{Bucket}/{Prefix}";
            if (Endpoint is null)
            {
                return $"s3://{tail}";
            }

            var hostPort = $"{Endpoint.Host}:{Endpoint.Port}";
            return Endpoint.Scheme == Uri.UriSchemeHttps ? $"s3://https://{hostPort}/{tail}" : $"s3://{hostPort}/{tail}";
        }
    }
}
