using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace NeoCloud.Infra.Components.Tests.Testing;

/// <summary>
/// Pulumi mocks that record every registered resource and invoke. Outputs echo the inputs plus the few
/// provider-computed values components read (ids, ARNs, names, endpoints), so tests assert on what a
/// component asked the engine for, which is what a real preview shows.
/// </summary>
public sealed class RecordingMocks : IMocks
{
    private readonly ConcurrentQueue<MockResourceArgs> _resources = new();
    private readonly ConcurrentQueue<MockCallArgs> _calls = new();

    /// <summary>
    /// Preview mode: values a provider computes on create (a bucket's generated name, random results) are left out,
    /// so the SDK treats them as unknown, as the engine reports them in a preview of a new stack.
    /// </summary>
    public bool Preview { get; init; }

    /// <summary>
    /// Changes the outputs of one resource after the defaults are set (type token, name, outputs), e.g. an EKS cluster
    /// that reports no OIDC issuer; null leaves the defaults.
    /// </summary>
    public Action<string, string, ImmutableDictionary<string, object>.Builder>? AdjustOutputs { get; init; }

    /// <summary>Every resource registered, in registration order.</summary>
    public IReadOnlyList<MockResourceArgs> Resources => [.. _resources];

    /// <summary>Every invoke (data source call), in call order.</summary>
    public IReadOnlyList<MockCallArgs> Calls => [.. _calls];

    /// <summary>Resources of one type token, e.g. <c>aws:eks/nodeGroup:NodeGroup</c>.</summary>
    public IReadOnlyList<MockResourceArgs> OfType(string type) => [.. _resources.Where(r => r.Type == type)];

    /// <summary>The single resource of a type token.</summary>
    public MockResourceArgs Single(string type) => Assert.Single(OfType(type));

    /// <inheritdoc />
    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        _resources.Enqueue(args);
        var name = args.Name ?? "unnamed";
        var outputs = args.Inputs.ToBuilder();
        var type = args.Type ?? string.Empty;
        if (type.StartsWith("aws:", StringComparison.Ordinal))
        {
            outputs.TryAdd("arn", $"arn:aws:mock:us-east-1:123456789012:{type.Split(':')[^1].ToLowerInvariant()}/{name}");
        }

        switch (type)
        {
            case "aws:s3/bucket:Bucket" when Preview && !args.Inputs.ContainsKey("bucket"):
                break; // the generated name is unknown until the bucket exists
            case "aws:s3/bucket:Bucket":
                outputs.TryAdd("bucket", args.Inputs.TryGetValue("bucketPrefix", out var prefix) ? $"{prefix}mock" : name);
                outputs["bucketRegionalDomainName"] = $"{outputs["bucket"]}.s3.amazonaws.com";
                break;
            case "random:index/randomString:RandomString" or "random:index/randomPassword:RandomPassword" or "random:index/randomId:RandomId" when Preview:
                break; // random results are unknown in a preview
            case "aws:eks/cluster:Cluster":
                outputs.TryAdd("name", name);
                outputs["endpoint"] = $"https://{name}.eks.mock";
                outputs["certificateAuthority"] = ImmutableDictionary<string, object>.Empty.Add("data", "bW9jaw==");
                var oidc = ImmutableDictionary<string, object>.Empty.Add("issuer", $"https://oidc.eks.mock/id/{name}");
                var identity = ImmutableDictionary<string, object>.Empty.Add("oidcs", ImmutableArray.Create<object>(oidc));
                outputs["identities"] = ImmutableArray.Create<object>(identity);
                outputs["vpcConfig"] = args.Inputs.TryGetValue("vpcConfig", out var vpc) ? vpc : ImmutableDictionary<string, object>.Empty;
                break;
            case "random:index/randomString:RandomString" or "random:index/randomPassword:RandomPassword":
                outputs["result"] = "mockrandom0";
                break;
            case "random:index/randomId:RandomId":
                outputs["hex"] = "a1b2c3d4";
                break;
            default:
                outputs.TryAdd("name", name);
                break;
        }

        AdjustOutputs?.Invoke(type, name, outputs);

        // The mock monitor passes the import id, which is "" for a new resource: give it an id, or every
        // input that references it (bucket = bucket.Id, vpcId = vpc.Id) would stay unknown.
        var id = !string.IsNullOrEmpty(args.Id) ? args.Id
            : type is "aws:s3/bucket:Bucket" && outputs.TryGetValue("bucket", out var bucketName) ? (string)bucketName // an S3 bucket's id is its name
            : $"{name}-id";
        return Task.FromResult<(string? id, object state)>((id, outputs.ToImmutable()));
    }

    /// <summary>Prefix of the version the mock's <c>aws.eks.getAddonVersion</c> returns (EKS's default build).</summary>
    public const string MockDefaultAddonVersionPrefix = "mock-default-";

    /// <inheritdoc />
    public Task<object> CallAsync(MockCallArgs args)
    {
        _calls.Enqueue(args);
        object result = args.Token switch
        {
            "aws:index/getCallerIdentity:getCallerIdentity" => ImmutableDictionary<string, object>.Empty
                .Add("accountId", "123456789012").Add("arn", "arn:aws:iam::123456789012:user/mock").Add("userId", "mock"),
            "aws:index/getRegion:getRegion" => ImmutableDictionary<string, object>.Empty.Add("region", "us-east-1").Add("name", "us-east-1").Add("id", "us-east-1"),
            "aws:index/getPartition:getPartition" => ImmutableDictionary<string, object>.Empty.Add("partition", "aws").Add("dnsSuffix", "amazonaws.com"),
            "aws:ec2/getPrefixList:getPrefixList" => ImmutableDictionary<string, object>.Empty
                .Add("id", "pl-63a5400a").Add("prefixListId", "pl-63a5400a").Add("name", args.Args.TryGetValue("name", out var n) ? n : "com.amazonaws.us-east-1.s3")
                .Add("cidrBlocks", ImmutableArray.Create<object>("52.216.0.0/15", "54.231.0.0/16")),
            // EKS's default build for the cluster's version (the real provider asks DescribeAddonVersions); the mock's is
            // recognisable, so tests can tell a resolved version from a pin.
            "aws:eks/getAddonVersion:getAddonVersion" => ImmutableDictionary<string, object>.Empty
                .Add("addonName", args.Args["addonName"]).Add("kubernetesVersion", args.Args["kubernetesVersion"]).Add("id", "mock")
                .Add("version", $"{MockDefaultAddonVersionPrefix}{args.Args["addonName"]}-{args.Args["kubernetesVersion"]}"),
            _ => args.Args,
        };
        return Task.FromResult(result);
    }
}
