// A rollout in steps against a real command router over a state file and a real public URL.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError, GateFailedError } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import {
  createRouter,
  newSwitchRecord,
  type Router,
  routerSchema,
  type ShiftInStepsOptions,
  type StepJudgement,
  shiftInSteps,
  trafficStepsSchema,
} from "../src/index.js";

let dir: string;
let state: string;
let server: TestServer;
let router: Router;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cutover-steps-"));
  state = join(dir, "weights");
  writeFileSync(state, "blue");
  server = await startTestServer((_req, res) => res.end("ok"));
  // The switch command records every share it is given, as a platform would apply them.
  router = await createRouter(
    routerSchema.parse({
      provider: "command",
      "switch-command": `echo "$CUTOVER_WEIGHTS" >> ${join(dir, "calls")}; printf %s "$CUTOVER_WEIGHTS" > ${state}`,
      "status-command": `cat ${state}`,
    }),
  );
});
afterEach(async () => {
  await router.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const calls = () => readFileSync(join(dir, "calls"), "utf8").trim().split("\n");

async function record() {
  const started = newSwitchRecord(await router.status());
  const weights = await router.weights();
  if (weights) started.previousWeights = weights;
  return started;
}

function options(judge: ShiftInStepsOptions["judge"], overrides: Partial<ShiftInStepsOptions> = {}) {
  const lines: string[] = [];
  return {
    target: "green" as const,
    shares: [10, 50, 100],
    verify: { url: server.url, expect: { status: 200 }, timeoutMs: 5_000 },
    signal: new AbortController().signal,
    log: (line: string) => lines.push(line),
    judge,
    lines,
    ...overrides,
  };
}

const pass = async (): Promise<StepJudgement> => ({ ok: true, reason: "error ratio 0 ≤ 0.01" });

describe("traffic in steps", () => {
  it("sets each share, judges every step below 100, and ends with all traffic on the target", async () => {
    const judged: number[] = [];
    const started = await record();
    await shiftInSteps(
      router,
      started,
      options(async (step) => {
        judged.push(step.share);
        // The judge runs while the share is in place.
        expect(readFileSync(state, "utf8")).toBe(`blue=${100 - step.share},green=${step.share}`);
        return pass();
      }),
    );
    expect(judged).toEqual([10, 50]);
    expect(calls()).toEqual(["blue=90,green=10", "blue=50,green=50", "blue=0,green=100"]);
    expect(started).toMatchObject({ previous: "blue", active: "green", switched: true, reverted: false });
    expect(started.steps?.map((s) => [s.share, s.verdict])).toEqual([
      [10, "pass"],
      [50, "pass"],
      [100, undefined],
    ]);
    expect(Date.parse(started.steps?.[0]?.at ?? "")).toBeLessThanOrEqual(Date.parse(started.steps?.[2]?.at ?? ""));
  });

  it("returns all traffic to the old color at the first step the judge refuses, naming it", async () => {
    const started = await record();
    const run = options(async (step) =>
      step.share === 10
        ? { ok: false, reason: "error ratio 0.12 > max 0.01", findings: [{ subject: "error ratio", measured: "0.12", expected: "≤ 0.01" }] }
        : pass(),
    );
    const error = await shiftInSteps(router, started, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateFailedError);
    expect((error as GateFailedError).summary).toBe(
      "green failed at 10% of traffic: error ratio 0.12 > max 0.01; traffic was reverted to blue",
    );
    expect((error as GateFailedError).findings).toHaveLength(1);
    expect(calls()).toEqual(["blue=90,green=10", "blue=100,green=0"]);
    expect(await router.status()).toBe("blue");
    expect(started).toMatchObject({ active: "blue", reverted: true, switched: false });
    expect(started.steps).toMatchObject([{ share: 10, verdict: "fail", reason: "error ratio 0.12 > max 0.01" }]);
  });

  it("returns traffic when the run is cancelled while a step is held", async () => {
    const controller = new AbortController();
    const started = await record();
    const run = options(
      async () => {
        controller.abort(new CancelledError("SIGTERM"));
        throw new CancelledError("SIGTERM");
      },
      { signal: controller.signal },
    );
    const error = await shiftInSteps(router, started, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toContain("at 10% on green; traffic was reverted to blue");
    expect(await router.status()).toBe("blue");
    expect(started.steps?.[0]?.verdict).toBe("cancelled");
  });

  it("does nothing when the target already has all traffic", async () => {
    writeFileSync(state, "green");
    const started = await record();
    await shiftInSteps(router, started, options(pass));
    expect(started.noop).toBe(true);
    expect(() => calls()).toThrow();
  });
});

describe("traffic-steps", () => {
  it("reads a comma list or a YAML list of rising shares ending at 100", () => {
    expect(trafficStepsSchema.parse("10, 50, 100")).toEqual([10, 50, 100]);
    expect(trafficStepsSchema.parse([5, "25%", 100])).toEqual([5, 25, 100]);
    expect(trafficStepsSchema.parse(100)).toEqual([100]);
  });

  it.each([
    ["10, 50", "the last step is 50, not 100"],
    ["50, 10, 100", "10 after 50 does not rise"],
    ["0, 100", "'0' is not a share from 1 to 100"],
    ["10, ten, 100", "'ten' is not a share"],
    ["10, 50, 150", "'150' is not a share"],
  ])("refuses %s saying what is wrong", (given, message) => {
    const result = trafficStepsSchema.safeParse(given);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
    expect(result.error?.issues[0]?.message).toContain("such as `10, 50, 100`");
  });
});
