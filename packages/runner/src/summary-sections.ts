import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * deploy.yml and rollback.yml set CUTOVER_COLLECT_SUMMARY so each step's summary is kept aside
 * and the outcome step writes the job summary whole: its overview first, then every step's
 * section in order. The runner only ever appends step summaries, so nothing else could put
 * the overview on top. The sections live in RUNNER_TEMP, which the runner removes with the job.
 */
function sectionsDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CUTOVER_COLLECT_SUMMARY !== "true" || !env.RUNNER_TEMP) return undefined;
  return join(env.RUNNER_TEMP, "cutover-summary-sections");
}

let kept = 0;

// Left by the outcome step: the steps after it (close the record, Slack) append as usual.
const TAKEN = "taken";

/** Keeps a (redacted) summary section aside; false when summaries are not being collected. */
export function keepSummarySection(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = sectionsDir(env);
  if (!dir || existsSync(join(dir, TAKEN))) return false;
  mkdirSync(dir, { recursive: true });
  // Steps run one after another: the time orders them; within one step, the count does.
  kept += 1;
  writeFileSync(join(dir, `${String(Date.now()).padStart(15, "0")}-${process.pid}-${String(kept).padStart(4, "0")}.md`), markdown);
  return true;
}

/** The sections kept so far, in the order they were written, and removes them. */
export function takeSummarySections(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = sectionsDir(env);
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  const names = readdirSync(dir).filter((name) => name.endsWith(".md"));
  const sections = names.sort().map((name) => readFileSync(join(dir, name), "utf8"));
  for (const name of names) rmSync(join(dir, name), { force: true });
  writeFileSync(join(dir, TAKEN), "");
  return sections;
}
