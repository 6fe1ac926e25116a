import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { checkActionStep, checkWorkflowCall, findCutoverUses } from "./caller-checks.js";

export interface ValidateResult {
  file: string;
  checked: number;
  problems: { where: string; problem: string }[];
}

/** `cutover validate [file…]`: a team's workflows checked as preflight and each action would, nothing run. */
export async function validateFiles(files: string[], options: { cwd: string; repoRoot: string }): Promise<ValidateResult[]> {
  const paths = files.length > 0 ? files : defaultWorkflows(options.cwd);
  const results: ValidateResult[] = [];
  for (const file of paths) {
    const shown = relative(options.cwd, join(options.cwd, file)) || file;
    const result: ValidateResult = { file: shown, checked: 0, problems: [] };
    results.push(result);
    let doc: unknown;
    try {
      doc = parse(readFileSync(join(options.cwd, file), "utf8"), { prettyErrors: true });
    } catch (error) {
      result.problems.push({ where: shown, problem: (error as Error).message.split("\n")[0] ?? "unreadable YAML" });
      continue;
    }
    const { calls, steps } = findCutoverUses(doc, shown);
    for (const call of calls) {
      result.checked += 1;
      for (const problem of await checkWorkflowCall(call, { repoRoot: options.repoRoot, workspace: options.cwd })) {
        result.problems.push({ where: `${call.workflow}.yml call`, problem });
      }
    }
    for (const step of steps) {
      result.checked += 1;
      for (const problem of await checkActionStep(step)) result.problems.push({ where: `${step.action} step`, problem });
    }
  }
  return results;
}

function defaultWorkflows(cwd: string): string[] {
  const dir = join(cwd, ".github", "workflows");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(".github", "workflows", name));
}
