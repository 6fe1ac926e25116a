import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import { type RunWorkflowOptions, runWorkflow, UnsupportedKeyError, WorkflowError, type WorkflowResult } from "../src/index.js";

const repoRoot = new URL("../../../", import.meta.url).pathname;
const fixture = (name: string) => join(repoRoot, "packages", "sandbox", "test", "fixtures", name);

async function run(options: Partial<RunWorkflowOptions> & { workflow: string }) {
  const lines: string[] = [];
  const result = await runWorkflow({ repoRoot, workspace: repoRoot, killGraceMs: 200, print: (line) => lines.push(line), ...options });
  return { result, printed: lines.join("\n") };
}

function step(result: WorkflowResult, job: string, name: string) {
  const found = result.jobs.find((j) => j.id === job)?.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step '${name}' in job ${job}`);
  return found;
}

function inlineWorkflow(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-wf-"));
  const file = join(dir, "workflow.yml");
  writeFileSync(file, text);
  return file;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === "/health") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok" }));
    } else res.end("hello from the test server");
  });
});
afterAll(() => server.close());

describe("runWorkflow", () => {
  it("passes outputs between steps and jobs, with env files, PATH, inputs and working-directory", async () => {
    const { result, printed } = await run({ workflow: fixture("outputs.yml"), inputs: { greeting: "hi", loud: "true" } });
    expect(result.conclusion, printed).toBe("success");
    expect(result.outputs).toEqual({ message: "green/2/workflow", color: "green" });
    const produce = result.jobs.find((job) => job.id === "produce");
    expect(produce?.outputs).toEqual({ color: "green", notes: "line one\nline two" });
    expect(step(result, "produce", "Pick a color").log).toContain("greeting is hi, stage is job");
    expect(step(result, "produce", "Read what the first step left").log).toContain("loud=true count=3 stage=job");
    expect(step(result, "produce", "Read what the first step left").summary).toBe("## produced green\n");
    expect(printed).toMatch(/Timeline of outputs flow \(success, /);
    expect(printed).toMatch(/\+\S+\s+\S+\s+✓ success\s+Pick a color/);
  });

  it("runs an action's post step after the job's steps, even when a later step failed (post-if: always())", async () => {
    const workflow = inlineWorkflow(`name: post steps
on: workflow_call
jobs:
  swap:
    runs-on: ubuntu-latest
    steps:
      - name: Read the router
        uses: ./actions/blue-green-swap
        with:
          mode: status
          router: '{ provider: command, switch-command: "true", status-command: "echo blue" }'
      - name: Fail afterwards
        run: exit 1
`);
    const { result, printed } = await run({ workflow });
    expect(result.conclusion, printed).toBe("failure");
    const steps = result.jobs.find((j) => j.id === "swap")?.steps.map((s) => [s.name, s.conclusion]);
    expect(steps).toEqual([
      ["Read the router", "success"],
      ["Fail afterwards", "failure"],
      ["Post Read the router", "success"],
    ]);
  });

  it("rejects inputs the workflow does not declare, missing required ones and ill-typed ones", async () => {
    await expect(run({ workflow: fixture("outputs.yml"), inputs: {} })).rejects.toThrow(/inputs\.greeting: required input was not given/);
    await expect(run({ workflow: fixture("outputs.yml"), inputs: { greeting: "x", nope: "1" } })).rejects.toThrow(
      /inputs\.nope: not declared/,
    );
    await expect(run({ workflow: fixture("outputs.yml"), inputs: { greeting: "x", count: "many" } })).rejects.toThrow(
      /inputs\.count: expected a number/,
    );
  });

  it("runs $/actions/smoke-test and ./actions/smoke-test from dist against a real server", async () => {
    const before = server.requests.length;
    const { result, printed } = await run({ workflow: fixture("smoke.yml"), inputs: { url: server.url } });
    expect(result.conclusion, printed).toBe("success");
    expect(result.outputs).toEqual({ passed: "2" });
    expect(step(result, "smoke", "Smoke test with the self-repository reference").outputs).toMatchObject({
      passed: "2",
      failed: "0",
      total: "2",
    });
    const report = JSON.parse(result.jobs[0]?.outputs.report ?? "{}") as { checks?: unknown[] };
    expect(report.checks).toHaveLength(2);
    expect(server.requests.slice(before).map((request) => request.url)).toEqual(expect.arrayContaining(["/", "/health"]));
  });

  it("fails the action step when the server says no, and the job with it", async () => {
    const down = await startTestServer((_req, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    try {
      const { result } = await run({ workflow: fixture("smoke.yml"), inputs: { url: down.url } });
      expect(result.conclusion).toBe("failure");
      const smoke = step(result, "smoke", "Smoke test with the self-repository reference");
      expect(smoke.outcome).toBe("failure");
      expect(smoke.annotations.some((annotation) => annotation.level === "error")).toBe(true);
      expect(step(result, "smoke", "Outputs reach the next step").outcome).toBe("skipped");
    } finally {
      await down.close();
    }
  });

  it("follows failure(), always(), continue-on-error and job-level skipping", async () => {
    const { result, printed } = await run({ workflow: fixture("failures.yml") });
    expect(result.conclusion).toBe("failure");
    const outcomes = Object.fromEntries(result.jobs[0]?.steps.map((s) => [s.name, `${s.outcome}/${s.conclusion}`]) ?? []);
    expect(outcomes, printed).toEqual({
      "Tolerated failure": "failure/success",
      "Runs after a tolerated failure": "success/success",
      Breaks: "failure/failure",
      "Skipped after the failure": "skipped/skipped",
      "Runs on failure": "success/success",
      "Runs always": "success/success",
      "Plain condition means success() and it": "skipped/skipped",
    });
    expect(step(result, "build", "Breaks").error).toBe("exit code 3");
    expect(Object.fromEntries(result.jobs.map((job) => [job.id, job.result]))).toEqual({
      build: "failure",
      after: "skipped",
      "on-failure": "success",
      downstream: "success",
    });
  });

  it("masks secrets and ::add-mask:: values in everything it prints and returns, and drops job outputs carrying them", async () => {
    const secret = "s3cr3t-token-value";
    const { result, printed } = await run({
      workflow: fixture("secrets.yml"),
      inputs: { url: server.url },
      secrets: { "api-token": secret },
    });
    expect(result.conclusion, printed).toBe("success");
    const derived = `derived-${[...secret].reverse().join("")}`;
    const everything = `${printed}\n${JSON.stringify(result)}`;
    expect(printed).toContain("the token is ***");
    expect(printed).toContain("derived value: ***");
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(derived);
    expect(result.jobs[0]?.outputs).toEqual({ fine: "public" });
    expect(printed).toContain("skipped output 'leaked' of job use since it may contain a secret");
    // The secret really reached the server: masking hid it, it did not drop it.
    expect(server.requests.some((request) => request.headers.authorization === `Bearer ${secret}`)).toBe(true);
  });

  it("rejects a secret the workflow does not declare and a missing required one", async () => {
    await expect(run({ workflow: fixture("secrets.yml"), inputs: { url: server.url }, secrets: {} })).rejects.toThrow(
      /secrets\.api-token: required secret was not given/,
    );
    await expect(
      run({ workflow: fixture("secrets.yml"), inputs: { url: server.url }, secrets: { "api-token": "abc", other: "x" } }),
    ).rejects.toThrow(/secrets\.other: not declared/);
  });

  it("names the unsupported key instead of skipping it", async () => {
    const matrix = inlineWorkflow(`on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [22, 24]
    steps:
      - run: echo hi
`);
    const error = await run({ workflow: matrix }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedKeyError);
    expect((error as Error).message).toMatch(/^jobs\.build\.strategy: 'strategy' is not supported/);

    const thirdParty = inlineWorkflow(`on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo first
      - uses: actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444
`);
    await expect(run({ workflow: thirdParty })).rejects.toThrow(
      /jobs\.build\.steps\[1\]\.uses: 'actions\/setup-node@a0853c24544627f65ddf259abe73b1d18a591444' is not supported/,
    );

    for (const [key, snippet] of [
      ["services", "    services:\n      db:\n        image: postgres\n"],
      ["container", "    container: node:24\n"],
    ] as const) {
      const file = inlineWorkflow(
        `on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n${snippet}    steps:\n      - run: echo hi\n`,
      );
      await expect(run({ workflow: file })).rejects.toThrow(new RegExp(`jobs\\.build\\.${key}: '${key}' is not supported`));
    }
    const otherRepository = inlineWorkflow("on: workflow_call\njobs:\n  call:\n    uses: acme/platform/.github/workflows/deploy.yml@v2\n");
    await expect(run({ workflow: otherRepository })).rejects.toThrow(
      /jobs\.call\.uses: 'acme\/platform\/\.github\/workflows\/deploy\.yml@v2' is not supported/,
    );
    const typo = inlineWorkflow(
      "on: workflow_call\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: echo hi\n        timeout: 3\n",
    );
    await expect(run({ workflow: typo })).rejects.toThrow(/jobs\.build\.steps\[0\]\.timeout: unknown key 'timeout'/);
    const fn = inlineWorkflow(
      "on: workflow_call\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: echo hi\n        if: hashFiles('x') != ''\n",
    );
    const { result } = await run({ workflow: fn });
    expect(result.jobs[0]?.steps[0]?.error).toMatch(/jobs\.build\.steps\[0\]\.if: cannot parse expression .*hashFiles/);
    expect(result.conclusion).toBe("failure");
  });

  it("treats actions/checkout pinned by SHA as the workspace itself: nothing fetched, the step succeeds", async () => {
    const workflow = inlineWorkflow(`on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8
      - id: after
        run: echo "seen=yes" >> "$GITHUB_OUTPUT"
`);
    const { result, printed } = await run({ workflow });
    expect(step(result, "build", "Check out").outcome).toBe("success");
    expect(step(result, "build", "after").outputs).toEqual({ seen: "yes" });
    expect(printed).toMatch(/The workspace \S+ already is the checkout; nothing to fetch\./);
  });

  it("gives steps the job context (job.status) and evaluates expressions in job names", async () => {
    const workflow = inlineWorkflow(`on:
  workflow_call:
    inputs:
      version: { type: string, required: true }
jobs:
  deploy:
    name: deploy \${{ inputs.version }}
    runs-on: ubuntu-latest
    steps:
      - id: before
        env: { STATUS: "\${{ job.status }}" }
        run: echo "status=$STATUS" >> "$GITHUB_OUTPUT"
      - run: exit 3
      - id: after
        if: always()
        env: { STATUS: "\${{ job.status }}" }
        run: echo "status=$STATUS" >> "$GITHUB_OUTPUT"
`);
    const { result } = await run({ workflow, inputs: { version: "2.0.0" } });
    expect(result.jobs[0]?.name).toBe("deploy 2.0.0");
    expect(step(result, "deploy", "before").outputs).toEqual({ status: "success" });
    expect(step(result, "deploy", "after").outputs).toEqual({ status: "failure" });
  });

  it("rejects a missing action, a dependency cycle and an unknown job in needs before running anything", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "sandbox-marker-")), "ran");
    const missing = inlineWorkflow(
      `on: workflow_call\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: touch ${marker}\n      - uses: $/actions/does-not-exist\n`,
    );
    await expect(run({ workflow: missing })).rejects.toThrow(WorkflowError);
    const { existsSync } = await import("node:fs");
    expect(existsSync(marker)).toBe(false);
    const cycle = inlineWorkflow(
      "on: workflow_call\njobs:\n  a:\n    needs: b\n    runs-on: x\n    steps: [{run: 'true'}]\n  b:\n    needs: a\n    runs-on: x\n    steps: [{run: 'true'}]\n",
    );
    await expect(run({ workflow: cycle })).rejects.toThrow(/dependency cycle/);
    const unknown = inlineWorkflow("on: workflow_call\njobs:\n  a:\n    needs: nope\n    runs-on: x\n    steps: [{run: 'true'}]\n");
    await expect(run({ workflow: unknown })).rejects.toThrow(/jobs\.a\.needs: job 'nope' does not exist/);
  });

  it("stops a step at its timeout-minutes and a job at its own", async () => {
    const file = inlineWorkflow(`on: workflow_call
jobs:
  slow:
    runs-on: x
    steps:
      - name: Sleeps too long
        timeout-minutes: 0.005
        run: sleep 20
      - name: Cleanup
        if: always()
        run: echo cleaned
  whole:
    runs-on: x
    timeout-minutes: 0.005
    steps:
      - name: Sleeps past the job deadline
        run: sleep 20
      - name: Skipped by the deadline
        run: echo no
      - name: Always runs
        if: always()
        run: echo yes
`);
    const started = performance.now();
    const { result } = await run({ workflow: file });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(step(result, "slow", "Sleeps too long")).toMatchObject({
      outcome: "failure",
      error: expect.stringMatching(/exceeded timeout-minutes/),
    });
    expect(step(result, "slow", "Cleanup").outcome).toBe("success");
    expect(step(result, "whole", "Sleeps past the job deadline").outcome).toBe("failure");
    expect(step(result, "whole", "Skipped by the deadline").outcome).toBe("skipped");
    expect(step(result, "whole", "Always runs").outcome).toBe("success");
    expect(result.jobs.map((job) => job.result)).toEqual(["failure", "failure"]);
  });

  it("cancels like the runner: SIGINT to the running step, then only always() steps and jobs", async () => {
    const file = inlineWorkflow(`on: workflow_call
jobs:
  long:
    runs-on: x
    steps:
      - name: Waits
        run: |
          trap 'echo got SIGINT; exit 130' INT
          echo waiting
          sleep 20 & wait
      - name: Next
        run: echo no
      - name: Always
        if: always()
        run: echo cleanup
  later:
    needs: long
    runs-on: x
    steps: [{run: echo no}]
  report:
    needs: long
    if: always()
    runs-on: x
    steps:
      - env:
          RESULT: \${{ needs.long.result }}
        run: test "$RESULT" = cancelled
`);
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = runWorkflow({
      workflow: file,
      repoRoot,
      workspace: repoRoot,
      killGraceMs: 200,
      signal: controller.signal,
      print: (line) => {
        lines.push(line);
        if (line.includes("waiting")) controller.abort();
      },
    });
    const result = await pending;
    expect(result.conclusion).toBe("cancelled");
    expect(step(result, "long", "Waits")).toMatchObject({ outcome: "cancelled" });
    expect(step(result, "long", "Waits").log).toContain("got SIGINT");
    expect(step(result, "long", "Next").outcome).toBe("skipped");
    expect(step(result, "long", "Always").outcome).toBe("success");
    expect(Object.fromEntries(result.jobs.map((job) => [job.id, job.result]))).toEqual({
      long: "cancelled",
      later: "skipped",
      report: "success",
    });
  });

  it("ends background processes a job left behind, as the runner cleans up orphans", async () => {
    const file = inlineWorkflow(`on: workflow_call
jobs:
  serve:
    runs-on: x
    outputs:
      port: \${{ steps.start.outputs.port }}
    steps:
      - id: start
        run: |
          node -e "const s=require('http').createServer((q,r)=>r.end('hello from background')).listen(0,'127.0.0.1',()=>{require('fs').writeFileSync(process.env.RUNNER_TEMP+'/port',String(s.address().port))})" > /dev/null 2>&1 &
          for i in $(seq 1 100); do [ -s "$RUNNER_TEMP/port" ] && break; sleep 0.05; done
          echo "port=$(cat "$RUNNER_TEMP/port")" >> "$GITHUB_OUTPUT"
      - uses: $/actions/smoke-test
        with:
          url: http://127.0.0.1:\${{ steps.start.outputs.port }}
          retries: "0"
`);
    const { result, printed } = await run({ workflow: file });
    expect(result.conclusion, printed).toBe("success");
    const port = Number(result.jobs[0]?.outputs.port);
    expect(port).toBeGreaterThan(0);
    // The job is over: its background server must be gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
