// What the kubernetes and aws-alb providers cost the bundles that carry them (blue-green-swap,
// rollback): bytes of the entry file and of the lazily loaded chunks, and the cold start of the
// entry (no inputs: it loads its module graph, validates, exits), which must not pay for the SDKs.
// With `--before <dir>` (a copy of older dist/<name>/ folders) the two are started interleaved,
// one run each in turn, and the ratio of medians is printed.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { measureColdStart } from "./cold-start.mjs";

const RUNS = Number(process.env.COLD_START_RUNS ?? 21);
const dist = new URL("../dist/", import.meta.url).pathname;
const beforeFlag = process.argv.indexOf("--before");
const before = beforeFlag === -1 ? undefined : process.argv[beforeFlag + 1];

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function sizes(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".js"));
  const entry = statSync(join(dir, "index.js")).size;
  const chunks = files.filter((f) => f !== "index.js").map((f) => statSync(join(dir, f)).size);
  return { entry, chunks };
}

console.log(`router bundles: sizes, and cold start over ${RUNS} whole-process runs${before ? ` interleaved with ${before}` : ""}`);
for (const name of ["blue-green-swap", "rollback"]) {
  const now = sizes(join(dist, name));
  const chunkText = now.chunks.length ? ` + lazy chunks ${now.chunks.map(kib).join(", ")}` : "";
  if (!before) {
    const r = measureColdStart(join(dist, name, "index.js"), {}, RUNS);
    console.log(
      `  ${name.padEnd(16)} entry ${kib(now.entry)}${chunkText}; cold start median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms`,
    );
    continue;
  }
  const old = sizes(join(before, name));
  const times = { before: [], after: [] };
  for (let i = 0; i < RUNS; i++) {
    times.before.push(measureColdStart(join(before, name, "index.js"), {}, 1).median);
    times.after.push(measureColdStart(join(dist, name, "index.js"), {}, 1).median);
  }
  const [b, a] = [median(times.before), median(times.after)];
  console.log(
    `  ${name.padEnd(16)} entry ${kib(old.entry)} → ${kib(now.entry)}${chunkText}; cold start median ${b.toFixed(1)} → ${a.toFixed(1)} ms (after/before ${(a / b).toFixed(2)})`,
  );
}
