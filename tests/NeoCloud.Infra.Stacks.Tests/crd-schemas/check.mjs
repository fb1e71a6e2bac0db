// Validates custom resources against the models of their CRDs from the @kubernetes-models packages
// (https://github.com/tommy351/kubernetes-models-ts, third-party/keda, third-party/prometheus-operator and third-party/gateway-api).
//
// usage: node check.mjs <objects.json>   objects.json: [{"id": "...", "object": {apiVersion, kind, ...}}]
// prints one JSON document: {"covered": [id...], "uncovered": [id...], "problems": [{"id", "message"}]}
//
// Two checks per object, both from the same generated package:
//  1. the package's own validator (ajv, compiled from the CRD's OpenAPI schema): types, int32/int64 formats,
//     required properties, int-or-string, patterns where the schema has them;
//  2. the package's TypeScript interface, type-checked by tsc with the object as a literal: TypeScript rejects any
//     property the interface does not declare (excess property check) at every nesting level, and every value of
//     the wrong type. The generated validators do not set additionalProperties: false, so (2) is what rejects unknown
//     and misspelt fields; maps the schema leaves open (labels, trigger metadata, preserve-unknown-fields) are index
//     signatures in the interface and stay open.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** API group → the package that holds its models. */
const packages = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const covered = [], uncovered = [], problems = [], typed = [];

for (const { id, object } of input) {
  const [group, version] = String(object.apiVersion).split("/");
  const pkg = packages[group];
  const specifier = pkg && `${pkg}/${group}/${version}/${object.kind}`;
  if (!pkg || !existsSync(join(here, "node_modules", `${specifier}.js`))) {
    uncovered.push(id);
    continue;
  }
  covered.push(id);
  const model = (await import(specifier))[object.kind];
  try {
    new model(object).validate();
  } catch (e) {
    problems.push({ id, message: String(e.message ?? e) });
  }
  typed.push({ id, specifier, object });
}

if (typed.length > 0) {
  // One object per line, so a diagnostic's line number names the object.
  const dir = mkdtempSync(join(here, ".check-"));
  try {
    const lines = typed.map(({ specifier, object }, i) =>
      `import type { I${object.kind} as T${i} } from "${specifier}"; export const o${i}: T${i} = ${JSON.stringify(object)};`);
    writeFileSync(join(dir, "objects.ts"), lines.join("\n") + "\n");
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", skipLibCheck: true, types: [] },
      files: ["objects.ts"],
    }));
    const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8" });
    const out = `${run.stdout}${run.stderr}`;
    let matched = 0;
    for (const m of out.matchAll(/objects\.ts\((\d+),(\d+)\): error (TS\d+: .*)/g)) {
      // Name the property the diagnostic points at (tsc gives a 1-based column into the object's line).
      const at = lines[Number(m[1]) - 1].slice(Number(m[2]) - 1).match(/^"([^"]+)"\s*:/);
      problems.push({ id: typed[Number(m[1]) - 1].id, message: at ? `${at[1]}: ${m[3]}` : m[3] });
      matched++;
    }
    if (run.status !== 0 && matched === 0) {
      problems.push({ id: "(tsc)", message: `tsc failed: ${out.trim() || run.error}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(JSON.stringify({ covered, uncovered, problems }) + "\n");
