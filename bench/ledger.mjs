// Timings of the rollback bundle on a file ledger, whole process as the runner starts it:
//   record   — open a deployment record (mode record)
//   rollback — plan a redeploy rollback after N failed deployments (ledger walk + plan + record)
// The traffic-rollback figure of issue 7 (start → old version serving 100%) needs @cutover/traffic
// and is measured once the executor is wired.
// Run: npm run bench -- ledger
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureColdStart } from "./cold-start.mjs";

const script = new URL("../dist/rollback/index.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "cutover-bench-ledger-"));
const sha = (n) => n.toString(16).padStart(40, "0");

function ledgerFile(failures) {
  const now = new Date().toISOString();
  const deployments = [];
  const add = (id, version, states) =>
    deployments.push({
      id,
      environment: "production",
      ref: `v${version}`,
      sha: sha(id),
      createdAt: now,
      payload: { cutover: 1, version, ref: `v${version}`, sha: sha(id), color: id % 2 ? "blue" : "green" },
      statuses: states.map((state) => ({ state, createdAt: now })),
    });
  add(1, "1.0.0", ["in_progress", "success", "inactive"]);
  add(2, "1.1.0", ["in_progress", "success"]);
  for (let i = 0; i < failures; i++) add(3 + i, `1.2.${i}`, ["in_progress", "failure"]);
  add(3 + failures, "2.0.0", ["in_progress", "success"]);
  deployments[1].statuses.push({ state: "inactive", createdAt: now });
  const path = join(dir, `ledger-${failures}.json`);
  writeFileSync(path, JSON.stringify({ format: "cutover-ledger", version: 1, nextId: 4 + failures, deployments }));
  return path;
}

try {
  const recordPath = join(dir, "record.json");
  const record = measureColdStart(script, {
    INPUT_MODE: "record",
    INPUT_ENVIRONMENT: "production",
    INPUT_LEDGER: `file:${recordPath}`,
    INPUT_VERSION: "1.0.0",
    INPUT_REF: "main",
    INPUT_SHA: sha(1),
    INPUT_STRATEGY: "auto",
    "INPUT_MIGRATE-DOWN": "false",
  });
  console.log(
    `record (open a record, file ledger): median ${record.median.toFixed(1)} ms, p90 ${record.p90.toFixed(1)} ms, min ${record.min.toFixed(1)} ms`,
  );
  for (const failures of [0, 200]) {
    const path = ledgerFile(failures);
    // Each run appends a rollback record; restore the file so every run sees the same history.
    const snapshot = spawnSync("cat", [path], { encoding: "utf8" }).stdout;
    const times = [];
    for (let i = 0; i < 15; i++) {
      writeFileSync(path, snapshot);
      const r = measureColdStart(
        script,
        {
          INPUT_MODE: "rollback",
          INPUT_ENVIRONMENT: "production",
          INPUT_LEDGER: `file:${path}`,
          INPUT_STRATEGY: "redeploy",
          "INPUT_MIGRATE-DOWN": "false",
        },
        1,
      );
      times.push(r.median);
    }
    times.sort((a, b) => a - b);
    console.log(
      `rollback redeploy plan over ${failures + 3} records (${failures} failed in between): median ${times[7].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
