// Issue 12 #2: deploy-secrets values holding `%25`, `%0A`, `%0D` must be masked as they are. The
// deploy step's own script from deploy.yml and rollback.yml runs under bash; its workflow commands
// are read the way the runner reads them (the sandbox's parser unescapes ::add-mask:: data).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseWorkflowCommands } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../harness/action-metadata.js";

type Step = { id?: string; run?: string };
type Workflow = { jobs: Record<string, { steps: Step[] }> };

function deployScript(workflow: string): string {
  const parsed = parse(readFileSync(join(repoRoot, ".github", "workflows", workflow), "utf8")) as Workflow;
  const step = Object.values(parsed.jobs)
    .flatMap((job) => job.steps)
    .find((s) => s.id === "deploy" && s.run);
  if (!step?.run) throw new Error(`${workflow} has no deploy step with a run script`);
  return step.run;
}

/** The log as the runner shows it: every registered mask replaced by ***. */
function maskedLog(stdout: string): { log: string; masks: string[] } {
  const { log, masks } = parseWorkflowCommands(stdout);
  let text = log.join("\n");
  for (const mask of [...masks].sort((a, b) => b.length - a.length)) if (mask) text = text.split(mask).join("***");
  return { log: text, masks };
}

const VALUES = ["postgres://app:p%25ss%0Aword@db/prod", "token%0D%0Ax", "100%", "plain-s3cret"];

describe.each(["deploy.yml", "rollback.yml"])("%s deploy step: deploy-secrets masking", (workflow) => {
  it("masks each value exactly as given, so the deploy command's output of it is hidden", () => {
    const secrets = VALUES.map((value, i) => `SECRET_${i}=${value}`).join("\n");
    const result = spawnSync("bash", ["-e", "-c", deployScript(workflow)], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        CUTOVER_COLOR: "green",
        CUTOVER_VERSION: "v2",
        CUTOVER_ENVIRONMENT: "production",
        CUTOVER_DEPLOY_SECRETS: secrets,
        CUTOVER_DEPLOY_COMMAND: 'for v in "$SECRET_0" "$SECRET_1" "$SECRET_2" "$SECRET_3"; do echo "using $v"; done',
      },
    });
    expect(result.status, result.stderr).toBe(0);
    const { log, masks } = maskedLog(result.stdout);
    expect(masks).toEqual(VALUES);
    // The deploy command did print them; the runner hides every one.
    expect(log.match(/using \*\*\*/g)).toHaveLength(VALUES.length);
    for (const value of VALUES) expect(log).not.toContain(value);
  });
});
