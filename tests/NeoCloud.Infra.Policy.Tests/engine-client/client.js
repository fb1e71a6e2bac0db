// Acts as the Pulumi engine against the NeoCloud analyzer, through Pulumi's own generated gRPC client
// (@pulumi/pulumi proto/analyzer_grpc_pb.js), so the peer is not our .proto.
//
//   node client.js scenario <port> <policy-pack-config.json>   -> JSON results on stdout
//   node client.js fuzz <port> <count> <seed>                  -> JSON counts on stdout
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const { AnalyzerClient } = require('@pulumi/pulumi/proto/analyzer_grpc_pb');
const pb = require('@pulumi/pulumi/proto/analyzer_pb');
const { PluginInfo } = require('@pulumi/pulumi/proto/plugin_pb');
const { Struct } = require('google-protobuf/google/protobuf/struct_pb');
const { Empty } = require('google-protobuf/google/protobuf/empty_pb');

const SIG = '4dabf18193072939515e22adb298388d';
const SECRET = '1b47061264138c4ac30d75fd1eb44270';
const UNKNOWN_STRING = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const SECRET_TEXT = 'SUPER-SECRET-hunter2-7f3a';
const LEVELS = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

const secret = (value) => ({ [SIG]: SECRET, value });

function call(client, method, request, deadlineMs = 10000) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, code: err.code, details: err.details };
  }
}

function analyzeRequest(type, name, props, { provider, parent, protect } = {}) {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:prod::neocloud::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props));
  const opts = new pb.AnalyzerResourceOptions();
  opts.setProtect(!!protect);
  opts.setIgnorechangesList(['spec.replicas']);
  opts.setAliasesList([]);
  opts.setAdditionalsecretoutputsList(['data']);
  const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(600);
  opts.setCustomtimeouts(timeouts);
  if (parent) opts.setParent(parent);
  req.setOptions(opts);
  if (provider) {
    const p = new pb.AnalyzerProviderResource();
    p.setType(provider.type);
    p.setName(provider.name);
    p.setUrn(`urn:pulumi:prod::neocloud::${provider.type}::${provider.name}`);
    p.setProperties(Struct.fromJavaScript(provider.props));
    req.setProvider(p);
  }
  return req;
}

function stackResource(type, name, props, propertyDependencies = {}) {
  const r = new pb.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:prod::neocloud::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props));
  const deps = r.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(propertyDependencies)) {
    const d = new pb.AnalyzerPropertyDependencies();
    d.setUrnsList(urns);
    deps.set(key, d);
  }
  return r;
}

// The engine's reconciliation of --policy-pack-config with the analyzer's info (levels, schema defaults).
function configureRequest(info, file) {
  const req = new pb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const policy of info.getPoliciesList()) {
    const entry = file[policy.getName()];
    const all = file.all;
    let level = policy.getEnforcementlevel();
    const props = {};
    const schema = policy.getConfigschema() && policy.getConfigschema().getProperties();
    if (schema) {
      for (const [key, def] of Object.entries(schema.toJavaScript())) {
        if (def && def.default !== undefined) props[key] = def.default;
      }
    }
    if (typeof all === 'string') level = LEVELS[all];
    if (typeof entry === 'string') level = LEVELS[entry];
    if (entry && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry)) {
        if (key === 'enforcementLevel') level = LEVELS[value];
        else props[key] = value;
      }
    }
    const config = new pb.PolicyConfig();
    config.setEnforcementlevel(level);
    config.setProperties(Struct.fromJavaScript(props));
    map.set(policy.getName(), config);
  }
  return req;
}

const diag = (d) => ({
  policyName: d.getPolicyname(),
  level: d.getEnforcementlevel(),
  severity: d.getSeverity(),
  urn: d.getUrn(),
  message: d.getMessage(),
  packName: d.getPolicypackname(),
});

async function scenario(port, configFile) {
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const out = {};

  const hs = new pb.AnalyzerHandshakeRequest();
  hs.setEngineAddress('127.0.0.1:1');
  hs.setRootDirectory(process.cwd());
  out.handshake = (await settle(call(client, 'handshake', hs))).ok;

  const cs = new pb.AnalyzerStackConfigureRequest();
  cs.setStack('prod');
  cs.setProject('neocloud');
  cs.setOrganization('organization');
  cs.setDryRun(true);
  cs.getConfigMap().set('neocloud:environment', 'prod');
  cs.getConfigMap().set('neocloud:costCenter', 'ml-42');
  cs.getConfigMap().set('neocloud:dbPassword', SECRET_TEXT);
  cs.setConfigSecretKeysList(['neocloud:dbPassword']);
  out.configureStack = (await settle(call(client, 'configureStack', cs))).ok;

  out.version = (await call(client, 'getPluginInfo', new Empty())).getVersion();
  const info = await call(client, 'getAnalyzerInfo', new Empty());
  out.info = {
    name: info.getName(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    policies: info.getPoliciesList().map((p) => ({
      name: p.getName(),
      level: p.getEnforcementlevel(),
      type: p.getPolicyType(),
      severity: p.getSeverity(),
      schemaKeys: Object.keys((p.getConfigschema() && p.getConfigschema().getProperties() && p.getConfigschema().getProperties().toJavaScript()) || {}),
    })),
  };

  const file = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  out.configure = (await settle(call(client, 'configure', configureRequest(info, file)))).ok;

  // A bad setting: the analyzer must answer INVALID_ARGUMENT naming policy and key.
  const bad = configureRequest(info, { ...file, 'vector-db-ha': { enforcementLevel: 'mandatory', minReplicas: 'three' } });
  const badResult = await settle(call(client, 'configure', bad));
  out.badConfigure = { ok: badResult.ok, code: badResult.code, details: badResult.details };
  // Restore the good config.
  await call(client, 'configure', configureRequest(info, file));

  const awsProvider = { type: 'pulumi:providers:aws', name: 'default', props: { region: 'us-east-1', defaultTags: JSON.stringify({ tags: { 'neocloud.io/environment': 'prod' } }) } };
  const k8sProvider = { type: 'pulumi:providers:kubernetes', name: 'eks', props: { kubeconfig: secret('apiVersion: v1') } };
  const labels = { 'neocloud.io/environment': 'prod', 'neocloud.io/cost-center': 'ml' };
  const requests = {
    unpinned: analyzeRequest('kubernetes:apps/v1:Deployment', 'web', {
      metadata: { name: 'web', namespace: 'serving', labels },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } } },
    }, { provider: k8sProvider, parent: 'urn:pulumi:prod::neocloud::pulumi:pulumi:Stack::neocloud-prod' }),
    unknownImage: analyzeRequest('kubernetes:apps/v1:Deployment', 'computed', {
      metadata: { name: 'computed', namespace: 'serving', labels },
      spec: { template: { spec: { containers: [{ name: 'app', image: UNKNOWN_STRING }] } } },
    }, { provider: k8sProvider }),
    secretEnv: analyzeRequest('kubernetes:apps/v1:Deployment', 'llm', {
      metadata: { name: 'llm', namespace: 'serving', labels },
      spec: { template: { spec: { containers: [{ name: 'llm', image: 'vllm/vllm-openai:v0.6.0', env: [{ name: 'HF_TOKEN', value: secret(SECRET_TEXT) }] }] } } },
    }, { provider: k8sProvider, protect: true }),
    chartSecret: analyzeRequest('kubernetes:helm.sh/v4:Chart', 'grafana', {
      chart: 'grafana', values: { adminPassword: secret(SECRET_TEXT) }, __internal: 'dropped',
    }, { provider: k8sProvider }),
    bucketTags: analyzeRequest('aws:s3/bucketV2:BucketV2', 'model-weights', { bucket: 'neocloud-model-weights', tags: { 'neocloud.io/cost-center': 'ml' } }, { provider: awsProvider }),
    clean: analyzeRequest('kubernetes:core/v1:Service', 'svc', { metadata: { name: 'svc', namespace: 'serving', labels } }, { provider: k8sProvider }),
  };
  out.analyze = {};
  for (const [key, req] of Object.entries(requests)) {
    const res = await call(client, 'analyze', req);
    out.analyze[key] = res.getDiagnosticsList().map(diag);
  }

  const remediate = await call(client, 'remediate', analyzeRequest('kubernetes:core/v1:Service', 'svc2', { metadata: { labels: {} } }));
  out.remediations = remediate.getRemediationsList().length;

  const bucketUrn = 'urn:pulumi:prod::neocloud::aws:s3/bucketV2:BucketV2::model-weights';
  const stack = new pb.AnalyzeStackRequest();
  stack.setResourcesList([
    stackResource('aws:s3/bucketV2:BucketV2', 'model-weights', { bucket: 'neocloud-model-weights', tags: labels }),
    stackResource('aws:s3/bucketVersioningV2:BucketVersioningV2', 'model-weights-versioning', { bucket: UNKNOWN_STRING, versioningConfiguration: { status: 'Enabled' } }, { bucket: [bucketUrn] }),
    stackResource('aws:eks/nodeGroup:NodeGroup', 'h100', {
      instanceTypes: ['p5.48xlarge'], scalingConfig: { maxSize: 2, minSize: 0, desiredSize: 1 },
      labels: { 'neocloud.io/pool': 'h100', 'nvidia.com/mig.config': 'all-1g.5gb' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
    }),
    stackResource('kubernetes:core/v1:Namespace', 'tenant-acme', { metadata: { name: 'tenant-acme', labels: { 'neocloud.io/tenant': 'acme' } } }),
  ]);
  out.analyzeStack = (await call(client, 'analyzeStack', stack)).getDiagnosticsList().map(diag);

  const unknownMethod = await settle(new Promise((resolve, reject) => {
    client.makeUnaryRequest('/pulumirpc.Analyzer/NoSuchMethod', (x) => Buffer.from(x), (b) => b, Buffer.alloc(0), (err, res) => (err ? reject(err) : resolve(res)));
  }));
  out.unknownMethodCode = unknownMethod.code;

  out.cancel = (await settle(call(client, 'cancel', new Empty()))).ok;
  client.close();
  process.stdout.write(JSON.stringify(out));
}

// Deterministic PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['metadata', 'spec', 'template', 'containers', 'image', 'env', 'value', 'labels', 'values', 'password', 'tags', 'bucket', 'rules', 'policy', 'resources', 'limits', 'nvidia.com/gpu', 'nodeSelector', 'tolerations', 'replicas', SIG, 'x'];
const SENTINELS = [UNKNOWN_STRING, 'dd056dcd-154b-4c76-9bd3-c8f88648b5ff', '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2', '3eeb2bf0-c639-47a8-9e75-3b44932eb421', SECRET, 'c44067f5952c0a294b673a41bacd8c17'];
const TYPES = ['kubernetes:apps/v1:Deployment', 'kubernetes:core/v1:Pod', 'kubernetes:helm.sh/v4:Chart', 'aws:s3/bucketV2:BucketV2', 'aws:s3/bucketPolicy:BucketPolicy', 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor', 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'x:y:Z'];

function randomValue(next, depth) {
  const r = next();
  if (depth > 5 || r < 0.15) return next() < 0.5 ? SENTINELS[Math.floor(next() * SENTINELS.length)] : `s${Math.floor(next() * 100)}`;
  if (r < 0.25) return Math.floor(next() * 2000) - 1000;
  if (r < 0.32) return next() < 0.5;
  if (r < 0.36) return null;
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const obj = {};
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) obj[KEYS[Math.floor(next() * KEYS.length)]] = randomValue(next, depth + 1);
  return obj;
}

async function fuzz(port, count, seed) {
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const next = rng(seed);
  const codes = {};
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const props = randomValue(next, 0);
    const req = analyzeRequest(TYPES[Math.floor(next() * TYPES.length)], `f${i}`, props && typeof props === 'object' && !Array.isArray(props) ? props : { v: props });
    const res = await settle(call(client, i % 10 === 0 ? 'remediate' : 'analyze', req));
    if (res.ok) ok++;
    else codes[res.code] = (codes[res.code] || 0) + 1;
  }
  // Raw garbage bytes: must come back as a gRPC status, not a dead server.
  const garbage = await settle(new Promise((resolve, reject) => {
    client.makeUnaryRequest('/pulumirpc.Analyzer/Analyze', (x) => x, (b) => b, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res)));
  }));
  const alive = (await settle(call(client, 'getPluginInfo', new Empty()))).ok;
  client.close();
  process.stdout.write(JSON.stringify({ ok, codes, garbageCode: garbage.code, alive }));
}

const [mode, port, a, b] = process.argv.slice(2);
const run = mode === 'fuzz' ? fuzz(Number(port), Number(a), Number(b)) : scenario(Number(port), a);
run.catch((err) => {
  process.stderr.write(`engine-client: ${err && err.stack ? err.stack : err}\n`);
  process.exit(3);
});
