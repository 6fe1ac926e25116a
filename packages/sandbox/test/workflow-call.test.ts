import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflow, runWorkflow } from "../src/index.js";

/** A team's repository with its own caller and called workflow, and a cutover checkout beside it. */
function world() {
  const workspace = mkdtempSync(join(tmpdir(), "sandbox-team-"));
  const cutover = mkdtempSync(join(tmpdir(), "sandbox-cutover-"));
  for (const root of [workspace, cutover]) mkdirSync(join(root, ".github", "workflows"), { recursive: true });
  const called = `on:
  workflow_call:
    inputs:
      greeting: { type: string, required: true }
      loud: { type: boolean, default: false }
    secrets:
      token: { required: true }
    outputs:
      said:
        value: \${{ jobs.speak.outputs.said }}
jobs:
  speak:
    runs-on: ubuntu-latest
    outputs:
      said: \${{ steps.say.outputs.said }}
    steps:
      - id: say
        env:
          GREETING: \${{ inputs.greeting }}
          LOUD: \${{ inputs.loud }}
          TOKEN: \${{ secrets.token }}
        run: |
          echo "token is $TOKEN"
          if [[ "$LOUD" == true ]]; then GREETING="\${GREETING^^}"; fi
          echo "said=$GREETING from $(basename "$GITHUB_WORKSPACE")" >> "$GITHUB_OUTPUT"
`;
  writeFileSync(join(workspace, ".github", "workflows", "greet.yml"), called);
  writeFileSync(join(cutover, ".github", "workflows", "deploy.yml"), called);
  return { workspace, cutover };
}

async function run(workspace: string, cutover: string, caller: string, secrets: Record<string, string> = {}) {
  const path = join(workspace, ".github", "workflows", "caller.yml");
  writeFileSync(path, caller);
  const lines: string[] = [];
  const result = await runWorkflow({ workflow: path, event: "push", workspace, repoRoot: cutover, secrets, print: (l) => lines.push(l) });
  return { result, printed: lines.join("\n") };
}

describe("jobs that call a reusable workflow", () => {
  it("runs the caller's own workflow with inputs and secrets, and hands its outputs to the jobs that need it", async () => {
    const { workspace, cutover } = world();
    const { result, printed } = await run(
      workspace,
      cutover,
      `on: push
jobs:
  greet:
    uses: ./.github/workflows/greet.yml
    with:
      greeting: hello \${{ github.event_name }}
      loud: true
    secrets:
      token: \${{ secrets.TEAM_TOKEN }}
  after:
    needs: greet
    runs-on: ubuntu-latest
    steps:
      - env:
          SAID: \${{ needs.greet.outputs.said }}
          RESULT: \${{ needs.greet.result }}
        run: echo "got $SAID $RESULT"
`,
      { TEAM_TOKEN: "t0ps3cret" },
    );
    expect(result.conclusion, printed).toBe("success");
    const greet = result.jobs.find((job) => job.id === "greet");
    expect(greet?.outputs.said).toMatch(/^HELLO PUSH from sandbox-team-/);
    expect(greet?.steps.map((step) => step.id)).toEqual(["say"]);
    expect(printed).toMatch(/got HELLO PUSH from sandbox-team-\S+ success/);
    expect(printed).toContain("token is ***");
    expect(printed).not.toContain("t0ps3cret");
  });

  it("resolves <owner>/cutover/.github/workflows/…@ref to this checkout, and inherits secrets", async () => {
    const { workspace, cutover } = world();
    const { result, printed } = await run(
      workspace,
      cutover,
      `on: push
jobs:
  deploy:
    uses: acme/cutover/.github/workflows/deploy.yml@v1
    with: { greeting: hi }
    secrets: inherit
`,
      { token: "inherited-s3cret" },
    );
    expect(result.conclusion, printed).toBe("success");
    expect(result.jobs[0]?.outputs.said).toMatch(/^hi from sandbox-team-/);
    expect(printed).not.toContain("inherited-s3cret");
  });

  it("fails the calling job, naming the input, when the call leaves out a required input", async () => {
    const { workspace, cutover } = world();
    const { result, printed } = await run(
      workspace,
      cutover,
      "on: push\njobs:\n  greet:\n    uses: ./.github/workflows/greet.yml\n    secrets: inherit\n",
      { token: "x" },
    );
    expect(result.conclusion).toBe("failure");
    expect(result.jobs[0]?.error ?? printed).toContain("greeting");
  });

  it("maps a pinned cutover action and any actions/checkout onto this checkout", () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-steps-"));
    const path = join(dir, "w.yml");
    writeFileSync(
      path,
      "on: push\njobs:\n  smoke:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v5\n      - uses: acme/cutover/actions/smoke-test@v1\n        with: { url: http://127.0.0.1:1 }\n",
    );
    const steps = loadWorkflow(path).jobs[0]?.steps ?? [];
    expect(steps.map((step) => step.uses)).toEqual(["actions/checkout@v5", "$/actions/smoke-test"]);
  });
});
