using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NeoCloud.Infra.Policy.Protocol.View;
using NeoCloud.Infra.Policy.Protocol.Wire;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;
using CoreLevel = NeoCloud.Infra.Core.Policy.EnforcementLevel;
using Eval = NeoCloud.Infra.Policy.Rules.Evaluation;
using WireLevel = NeoCloud.Infra.Policy.Protocol.Wire.EnforcementLevel;
using WireSeverity = NeoCloud.Infra.Policy.Protocol.Wire.PolicySeverity;

namespace NeoCloud.Infra.Policy.Protocol;

/// <summary>
/// The <c>pulumirpc.Analyzer</c> service: maps protocol messages onto the rule library. Holds the stack facts
/// (ConfigureStack) and the policy settings (Configure) as immutable values swapped whole.
/// </summary>
public sealed class AnalyzerService
{
    /// <summary>The gRPC service name.</summary>
    public const string ServiceName = "pulumirpc.Analyzer";

    private readonly PolicyPack _pack;
    private readonly Lock _gate = new();
    private StackInfo _stack;
    private PolicySettings _settings;
    private bool _configured;

    /// <summary>Creates the service for <paramref name="pack"/>, with initial stack facts (e.g. from PULUMI_* variables).</summary>
    public AnalyzerService(PolicyPack pack, StackInfo? stack = null)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _pack = pack;
        _stack = stack ?? StackInfo.Unconfigured;
        _settings = PolicySettings.Defaults(pack.Rules, _stack.Kind);
    }

    /// <summary>The stack facts last reported.</summary>
    public StackInfo Stack => _stack;

    /// <summary>The policy settings in force.</summary>
    public PolicySettings Settings => _settings;

    /// <summary>The engine address of the handshake, when received.</summary>
    public string? EngineAddress { get; private set; }

    /// <summary>Handshake: records the engine address.</summary>
    public AnalyzerHandshakeResponse Handshake(AnalyzerHandshakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EngineAddress = request.EngineAddress;
        return new AnalyzerHandshakeResponse();
    }

    /// <summary>ConfigureStack: records stack, project, dry-run and config; picks the stack's default levels unless Configure already ran.</summary>
    public AnalyzerStackConfigureResponse ConfigureStack(AnalyzerStackConfigureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretKeys = request.ConfigSecretKeys.ToHashSet(StringComparer.Ordinal);
        var config = request.Config.Where(p => !secretKeys.Contains(p.Key)).ToImmutableDictionary(StringComparer.Ordinal);
        var stack = new StackInfo(request.Stack, request.Project, request.Organization, request.DryRun,
            StackInfo.KindOf(request.Stack, config), config);
        lock (_gate)
        {
            _stack = stack;
            if (!_configured)
            {
                _settings = PolicySettings.Defaults(_pack.Rules, stack.Kind);
            }
        }
        return new AnalyzerStackConfigureResponse();
    }

    /// <summary>GetPluginInfo: the pack version.</summary>
    public PluginInfo GetPluginInfo() => new() { Version = _pack.Version };

    /// <summary>GetAnalyzerInfo: every policy with its current level, severity, type and config schema.</summary>
    public AnalyzerInfo GetAnalyzerInfo()
    {
        var settings = _settings;
        var info = new AnalyzerInfo
        {
            Name = _pack.Name,
            DisplayName = "NeoCloud.Infra policies",
            Version = _pack.Version,
            SupportsConfig = true,
            Description = "Policies for GPU neocloud stacks: images, GPU placement, MIG layouts, serving, storage, monitoring, tenancy, secrets.",
            Tags = { "neocloud", "gpu", "kubernetes", "aws" },
        };
        foreach (var rule in _pack.Rules)
        {
            var d = rule.Descriptor;
            info.Policies.Add(new PolicyInfo
            {
                Name = d.Name,
                DisplayName = d.DisplayName,
                Description = d.Description,
                EnforcementLevel = ToWire(settings.For(rule).Level),
                PolicyType = d.Kind == PolicyKind.Stack ? PolicyType.Stack : PolicyType.Resource,
                Severity = ToWire(d.Severity),
                ConfigSchema = new PolicyConfigSchema { Properties = PropertyMapping.ToStruct(d.Schema.ToJsonSchemaProperties()) },
                Tags = { d.Tags },
            });
        }
        return info;
    }

    /// <summary>Configure: levels and settings per policy; settings validated against each schema.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT naming the policy and key of a bad setting.</exception>
    public Empty Configure(ConfigureAnalyzerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rules = _pack.Rules.ToDictionary(r => r.Descriptor.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var builder = _settings.ByPolicy.ToBuilder();
        foreach (var (name, config) in request.PolicyConfig)
        {
            if (!rules.TryGetValue(name, out var rule) || config is null)
            {
                continue; // the engine only sends policies this analyzer reported; ignore anything else
            }
            var properties = PropertyMapping.FromStruct(config.Properties);
            properties = new ObjectValue(properties.Properties.Remove("enforcementLevel"));
            problems.AddRange(rule.Descriptor.Schema.Validate(properties).Select(p => $"{name}.{p.Setting}: {p.Problem}"));
            builder[name] = new PolicySetting(FromWire(config.EnforcementLevel), rule.Descriptor.Schema.WithDefaults(properties));
        }
        if (problems.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid policy configuration: " + string.Join("; ", problems)));
        }
        lock (_gate)
        {
            _settings = new PolicySettings(builder.ToImmutable());
            _configured = true;
        }
        return new Empty();
    }

    /// <summary>Analyze: the resource policies over one resource.</summary>
    public AnalyzeResponse Analyze(AnalyzeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The secrets are collected while the properties are decoded, not by a second walk over them.
        var secrets = new List<PropertyValue>();
        return Analyze(PropertyMapping.FromRequest(request, secrets), secrets);
    }

    /// <summary>Analyze, from the request as the server decodes it (<see cref="AnalyzeRequestView"/>, the same bytes).</summary>
    public AnalyzeResponse Analyze(AnalyzeRequestView request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = new List<PropertyValue>();
        return Analyze(ViewMapping.FromRequest(request, secrets), secrets);
    }

    private AnalyzeResponse Analyze(ResourceSnapshot resource, List<PropertyValue> secrets)
    {
        var response = new AnalyzeResponse();
        foreach (var diagnostic in _pack.Analyze(resource, _settings, _stack, secrets))
        {
            response.Diagnostics.Add(ToWire(diagnostic));
        }
        return response;
    }

    /// <summary>AnalyzeStack: the stack policies over every resource.</summary>
    public AnalyzeResponse AnalyzeStack(AnalyzeStackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = new List<PropertyValue>();
        var snapshot = new StackSnapshot(request.Resources.Select(r => PropertyMapping.FromResource(r, secrets)));
        var response = new AnalyzeResponse();
        response.Diagnostics.Add(_pack.AnalyzeStack(snapshot, _settings, _stack, SecretScrubber.OfSecrets(secrets)).Select(ToWire));
        return response;
    }

    /// <summary>Remediate: safe fixes of the policies set to remediate.</summary>
    public RemediateResponse Remediate(AnalyzeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new RemediateResponse();
        foreach (var fix in _pack.Remediate(PropertyMapping.FromRequest(request), _settings, _stack))
        {
            response.Remediations.Add(new Remediation
            {
                PolicyName = fix.PolicyName,
                PolicyPackName = _pack.Name,
                PolicyPackVersion = _pack.Version,
                Description = fix.Description,
                Properties = PropertyMapping.ToStruct(fix.Properties),
            });
        }
        return response;
    }

    /// <summary>A diagnostic as the protocol message.</summary>
    public AnalyzeDiagnostic ToWire(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new AnalyzeDiagnostic
        {
            PolicyName = diagnostic.PolicyName,
            PolicyPackName = _pack.Name,
            PolicyPackVersion = _pack.Version,
            Description = diagnostic.Description,
            Message = diagnostic.Message,
            EnforcementLevel = ToWire(diagnostic.Level),
            Urn = diagnostic.Urn,
            Severity = ToWire(diagnostic.Severity),
        };
    }

    /// <summary>Maps a level to the wire enum.</summary>
    public static WireLevel ToWire(CoreLevel level) => level switch
    {
        CoreLevel.Mandatory => WireLevel.Mandatory,
        CoreLevel.Disabled => WireLevel.Disabled,
        CoreLevel.Remediate => WireLevel.Remediate,
        _ => WireLevel.Advisory,
    };

    /// <summary>Maps a wire level (unknown numbers become advisory).</summary>
    public static CoreLevel FromWire(WireLevel level) => level switch
    {
        WireLevel.Mandatory => CoreLevel.Mandatory,
        WireLevel.Disabled => CoreLevel.Disabled,
        WireLevel.Remediate => CoreLevel.Remediate,
        _ => CoreLevel.Advisory,
    };

    private static WireSeverity ToWire(Eval.PolicySeverity severity) => severity switch
    {
        Eval.PolicySeverity.Low => WireSeverity.Low,
        Eval.PolicySeverity.Medium => WireSeverity.Medium,
        Eval.PolicySeverity.High => WireSeverity.High,
        Eval.PolicySeverity.Critical => WireSeverity.Critical,
        _ => WireSeverity.Unspecified,
    };
}
