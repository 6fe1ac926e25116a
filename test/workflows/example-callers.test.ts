import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type ActionStep,
  checkActionStep,
  checkWorkflowCall,
  findCutoverUses,
  standIn,
  usesCutover,
  type WorkflowCall,
} from "../../cli/src/caller-checks.js";
import { repoRoot } from "../harness/action-metadata.js";

/**
 * Every use of cutover that we show users — the example workflows and the YAML blocks of the
 * README, the actions' READMEs and the docs — passes the checks `cutover validate` and the
 * workflows' preflight run, exactly as a user would copy it.
 */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

const unparsable: string[] = [];
const calls: WorkflowCall[] = [];
const steps: ActionStep[] = [];
const add = (doc: unknown, where: string) => {
  const found = findCutoverUses(doc, where);
  calls.push(...found.calls);
  steps.push(...found.steps);
};

const examples = join(repoRoot, "examples", "workflows");
for (const name of readdirSync(examples).filter((n) => n.endsWith(".yml"))) {
  add(parse(readFileSync(join(examples, name), "utf8")), `examples/workflows/${name}`);
}
const readmes = readdirSync(join(repoRoot, "actions")).map((name) => join(repoRoot, "actions", name, "README.md"));
for (const file of [join(repoRoot, "README.md"), ...readmes, ...markdownFiles(join(repoRoot, "docs"))]) {
  const text = readFileSync(file, "utf8");
  for (const [index, block] of [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
    const yaml = block[1] ?? "";
    if (!usesCutover(yaml)) continue;
    const where = `${relative(repoRoot, file)} (YAML block ${index + 1})`;
    try {
      add(parse(yaml), where);
    } catch (error) {
      unparsable.push(`${where}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}

/** The caller's own repository: its migrations directory and rule file exist there. */
function workspaceFor(call: WorkflowCall): string {
  const workspace = mkdtempSync(join(tmpdir(), "cutover-caller-"));
  const dir = standIn(call.with["migrations-dir"]);
  if (dir) mkdirSync(join(workspace, dir), { recursive: true });
  const rules = standIn(call.with["alert-rules"]);
  if (rules) {
    mkdirSync(dirname(join(workspace, rules)), { recursive: true });
    writeFileSync(join(workspace, rules), "groups:\n  - name: app\n    rules:\n      - alert: Errors\n        expr: up == 0\n");
  }
  return workspace;
}

describe("uses of cutover we show users pass its checks", () => {
  it("every YAML block that uses cutover parses", () => {
    expect(unparsable).toEqual([]);
  });

  it("there are calls and action steps in the examples and the docs", () => {
    expect(calls.filter((c) => c.where.startsWith("examples/")).length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => c.where.startsWith("docs/")).length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeGreaterThanOrEqual(5);
  });

  it.each(calls.map((c, i) => [`${c.where} → ${c.workflow}.yml #${i + 1}`, c] as const))("%s", async (_, call) => {
    expect(await checkWorkflowCall(call, { repoRoot, workspace: workspaceFor(call) })).toEqual([]);
  });

  it.each(steps.map((s, i) => [`${s.where} → ${s.action} #${i + 1}`, s] as const))("%s", async (_, step) => {
    expect(await checkActionStep(step)).toEqual([]);
  });
});
