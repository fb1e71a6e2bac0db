// Benchmark only (bench/NeoCloud.Infra.Policy.Bench `compare`): a @pulumi/policy 1.21 pack whose rules match the C#
// pack's in spirit, so the two analyzers can be timed through the same client. It is not a second implementation to
// ship: the C# pack (policy/) is the one the project uses, and Core's catalog is the source of truth for MIG.
'use strict';
const { PolicyPack } = require('@pulumi/policy');

const WORKLOADS = new Set(['kubernetes:apps/v1:Deployment', 'kubernetes:apps/v1:StatefulSet', 'kubernetes:apps/v1:DaemonSet',
  'kubernetes:apps/v1:ReplicaSet', 'kubernetes:batch/v1:Job', 'kubernetes:batch/v1:CronJob', 'kubernetes:core/v1:Pod']);
const SECRET_WORDS = /(password|passwd|token|secret|api[_-]?key|apikey|credential)/i;
const REQUIRED = ['neocloud.io/environment', 'neocloud.io/cost-center'];
// A100-40GB / H100-80GB profiles only (the C# pack reads Core's full catalog).
const MIG = { 'p4d.24xlarge': ['1g.5gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb'], 'p5.48xlarge': ['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'] };

const podSpec = (type, props) => {
  const spec = props.spec || {};
  if (type === 'kubernetes:core/v1:Pod') return spec;
  if (type === 'kubernetes:batch/v1:CronJob') return (((spec.jobTemplate || {}).spec || {}).template || {}).spec || {};
  return (spec.template || {}).spec || {};
};
const containers = (spec) => [...(spec.containers || []), ...(spec.initContainers || [])];
const gpuRequest = (c) => {
  const limits = ((c.resources || {}).limits) || {};
  return Object.keys(limits).some((k) => k === 'nvidia.com/gpu' || k.startsWith('nvidia.com/mig-'));
};
const isSecret = (v) => v && typeof v === 'object' && v['4dabf18193072939515e22adb298388d'] !== undefined;

function walkValues(value, path, visit) {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) { value.forEach((v, i) => walkValues(v, `${path}[${i}]`, visit)); return; }
  if (typeof value === 'object') { for (const [k, v] of Object.entries(value)) { visit(k, v, `${path}.${k}`); walkValues(v, `${path}.${k}`, visit); } }
}

const resource = (name, description, check) => ({ name, description, enforcementLevel: 'mandatory', validateResource: (args, report) => check(args.type, args.props, report) });
const stack = (name, description, check) => ({ name, description, enforcementLevel: 'mandatory', validateStack: (args, report) => check(args.resources, report) });

const policies = [
  resource('images-pinned', 'Images have a tag other than latest, or a digest.', (type, props, report) => {
    if (!WORKLOADS.has(type)) return;
    for (const c of containers(podSpec(type, props))) {
      const image = c.image || '';
      const tag = image.includes('@') ? 'digest' : (image.split('/').pop().split(':')[1] || '');
      if (!tag || tag === 'latest') report(`container ${c.name}: image ${image} is not pinned`);
    }
  }),
  resource('gpu-workloads-target-gpu-pools', 'GPU pods select a pool and tolerate the GPU taint.', (type, props, report) => {
    if (!WORKLOADS.has(type)) return;
    const spec = podSpec(type, props);
    if (!containers(spec).some(gpuRequest)) return;
    if (!(spec.nodeSelector || {})['neocloud.io/pool']) report('GPU pod selects no neocloud.io/pool');
    if (!(spec.tolerations || []).some((t) => t.key === 'nvidia.com/gpu')) report('GPU pod does not tolerate nvidia.com/gpu');
  }),
  resource('triton-probes-and-metrics', 'Triton containers have health probes and the metrics port.', (type, props, report) => {
    if (!WORKLOADS.has(type)) return;
    for (const c of containers(podSpec(type, props)).filter((x) => (x.image || '').includes('tritonserver'))) {
      if ((((c.readinessProbe || {}).httpGet) || {}).path !== '/v2/health/ready') report(`${c.name}: readiness probe is not /v2/health/ready`);
      if ((((c.livenessProbe || {}).httpGet) || {}).path !== '/v2/health/live') report(`${c.name}: liveness probe is not /v2/health/live`);
      if (!(c.ports || []).some((p) => p.containerPort === 8002)) report(`${c.name}: no metrics port 8002`);
    }
  }),
  resource('bucket-versioning-enabled', 'Bucket versioning is Enabled.', (type, props, report) => {
    if (type === 'aws:s3/bucketVersioningV2:BucketVersioningV2' && ((props.versioningConfiguration || {}).status) !== 'Enabled') report('versioning is not Enabled');
  }),
  resource('bucket-kms-encryption', 'Bucket encryption uses aws:kms.', (type, props, report) => {
    if (type !== 'aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2') return;
    if (!(props.rules || []).some((r) => ((r.applyServerSideEncryptionByDefault || {}).sseAlgorithm) === 'aws:kms')) report('no aws:kms rule');
  }),
  resource('bucket-public-access-blocked', 'All four public access block flags are true.', (type, props, report) => {
    if (type !== 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock') return;
    for (const f of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']) if (props[f] !== true) report(`${f} is not true`);
  }),
  resource('bucket-tls-only', 'The bucket policy denies aws:SecureTransport false.', (type, props, report) => {
    if (type !== 'aws:s3/bucketPolicy:BucketPolicy' || typeof props.policy !== 'string') return;
    let doc; try { doc = JSON.parse(props.policy); } catch { report('policy is not JSON'); return; }
    const statements = [].concat(doc.Statement || []);
    if (!statements.some((s) => s.Effect === 'Deny' && String((((s.Condition || {}).Bool) || {})['aws:SecureTransport']) === 'false')) report('no Deny for aws:SecureTransport = false');
  }),
  resource('monitor-release-label', 'ServiceMonitor/PodMonitor carry release: kube-prometheus-stack.', (type, props, report) => {
    if (!type.startsWith('kubernetes:monitoring.coreos.com/v1:')) return;
    if ((((props.metadata || {}).labels) || {}).release !== 'kube-prometheus-stack') report('no release: kube-prometheus-stack label');
  }),
  resource('required-labels', 'Kubernetes labels / AWS tags carry environment and cost center.', (type, props, report) => {
    const labels = type.startsWith('kubernetes:') ? (((props.metadata || {}).labels) || null) : type.startsWith('aws:s3/bucketV2') ? (props.tags || {}) : null;
    if (labels === null || type.startsWith('kubernetes:helm.sh')) return;
    for (const key of REQUIRED) if (!labels[key]) report(`missing ${key}`);
  }),
  resource('no-plaintext-secrets', 'No literal secrets in chart values or container env.', (type, props, report) => {
    if (type.startsWith('kubernetes:helm.sh/')) {
      walkValues(props.values || {}, 'values', (k, v, path) => { if (SECRET_WORDS.test(k) && (typeof v === 'string' || isSecret(v))) report(`${path} holds a literal secret`); });
    } else if (WORKLOADS.has(type)) {
      for (const c of containers(podSpec(type, props))) for (const e of c.env || []) if (SECRET_WORDS.test(e.name || '') && e.value !== undefined) report(`${c.name}: env ${e.name} holds a literal secret`);
    }
  }),
  stack('bucket-companions-present', 'Every bucket has versioning, encryption, public access block and policy.', (resources, report) => {
    const companions = ['aws:s3/bucketVersioningV2:BucketVersioningV2', 'aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'aws:s3/bucketPolicy:BucketPolicy'];
    const byBucket = new Map();
    for (const r of resources) if (companions.includes(r.type)) { const b = r.props.bucket; if (!byBucket.has(b)) byBucket.set(b, new Set()); byBucket.get(b).add(r.type); }
    for (const r of resources.filter((x) => x.type === 'aws:s3/bucketV2:BucketV2')) {
      const have = byBucket.get(r.props.bucket) || new Set();
      for (const c of companions) if (!have.has(c)) report(`bucket ${r.name} has no ${c.split(':').pop()}`, r.urn);
    }
  }),
  stack('vector-db-ha', 'Vector databases run at least 3 replicas.', (resources, report) => {
    for (const r of resources.filter((x) => x.type === 'kubernetes:helm.sh/v4:Chart' && /qdrant|weaviate|milvus/.test(x.props.chart || ''))) {
      if (((r.props.values || {}).replicaCount || 1) < 3) report(`${r.name} runs fewer than 3 replicas`, r.urn);
    }
  }),
  stack('tenant-isolation', 'Tenant namespaces have a ResourceQuota and a default-deny NetworkPolicy.', (resources, report) => {
    const ns = (r) => ((r.props.metadata || {}).namespace);
    for (const n of resources.filter((x) => x.type === 'kubernetes:core/v1:Namespace' && (((x.props.metadata || {}).labels) || {})['neocloud.io/tenant'])) {
      const name = n.props.metadata.name;
      if (!resources.some((r) => r.type === 'kubernetes:core/v1:ResourceQuota' && ns(r) === name)) report(`namespace ${name} has no ResourceQuota`, n.urn);
      if (!resources.some((r) => r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' && ns(r) === name)) report(`namespace ${name} has no NetworkPolicy`, n.urn);
    }
  }),
  stack('mig-config-valid', 'nvidia.com/mig.config labels are valid for the node group GPU.', (resources, report) => {
    for (const r of resources.filter((x) => x.type === 'aws:eks/nodeGroup:NodeGroup')) {
      const config = (r.props.labels || {})['nvidia.com/mig.config'];
      const profiles = MIG[(r.props.instanceTypes || [])[0]];
      if (!config || !profiles || config === 'all-disabled' || config === 'all-balanced') continue;
      if (config.startsWith('all-') && !profiles.includes(config.slice(4))) report(`${r.name}: ${config} is not a profile of its GPU`, r.urn);
    }
  }),
];

new PolicyPack('neocloud-node-bench', { policies });
