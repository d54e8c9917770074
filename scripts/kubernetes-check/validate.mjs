// Validates Kubernetes manifests offline: every document of every file given on the command line
// against the published schema of its kind, Kubernetes' own (kubernetes-models) or the Flink
// Kubernetes Operator's custom resources (@kubernetes-models/flink, generated from the operator's
// CRDs). A kind without a schema here is an error. Run by scripts/check-kubernetes.sh.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { FlinkDeployment } from "@kubernetes-models/flink/flink.apache.org/v1beta1/FlinkDeployment";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";

const models = new Map([
  ["flink.apache.org/v1beta1 FlinkDeployment", FlinkDeployment],
  ["apps/v1 Deployment", Deployment],
  ["v1 PersistentVolumeClaim", PersistentVolumeClaim],
  ["v1 Secret", Secret],
  ["v1 ServiceAccount", ServiceAccount],
]);

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: not YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const manifest = doc.toJS();
    if (manifest === null) {
      continue;
    }
    const what = `${file}: ${manifest.kind} ${manifest.metadata?.name ?? "(no name)"}`;
    const Model = models.get(`${manifest.apiVersion} ${manifest.kind}`);
    if (Model === undefined) {
      console.error(`${what}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(manifest).validate();
      checked++;
    } catch (e) {
      console.error(`${what}: ${e.message}`);
      failures++;
    }
  }
}
if (failures > 0) {
  process.exit(1);
}
console.log(`check-kubernetes: ${checked} manifests match their schemas`);
