import { GateFailedError } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { type AnalysisResult, judgeGate, type Measurement, type ReadinessResult, type Verdict } from "../src/index.js";

const settings = { onInconclusive: "fail" as const, readinessTimeoutMs: 60_000, healthyThreshold: 3 };

function readiness(healthy: boolean, answered = true): ReadinessResult {
  return {
    url: "https://user:pw@shop.example.com/healthz",
    outcome: healthy ? "healthy" : "deadline",
    healthy,
    elapsedMs: 1000,
    probes: [{ n: 1, atMs: 0, ok: healthy, answered, failures: [] }],
    message: healthy ? "healthy after 3 probes" : "no answer within 1m",
    passesInARow: healthy ? 3 : 0,
    failuresInARow: 0,
  };
}

function measurement(n: number, outcome: Measurement["outcome"], measured: string): Measurement {
  const ok = outcome === "pass";
  return {
    metric: "error-rate",
    n,
    atMs: n * 1000,
    at: new Date(n * 1000).toISOString(),
    value: Number(measured),
    display: measured,
    outcome,
    warnings: [],
    checks: outcome === "inconclusive" ? [] : [{ threshold: "max", expected: "at most 0.01", measured, ok }],
    ...(outcome === "inconclusive" ? { note: "no data" } : {}),
  };
}

function analysis(verdict: Verdict, measurements: Measurement[]): AnalysisResult {
  return {
    verdict,
    reason: `${verdict} by the limits`,
    judged: "color green",
    warnings: [],
    taken: measurements.length,
    planned: 5,
    stoppedEarly: verdict !== "pass",
    elapsedMs: 5000,
    metrics: [
      {
        name: "error-rate",
        kind: "query",
        noTraffic: false,
        query: "sum(rate(errors[1m]))",
        thresholds: ["max 0.01"],
        verdict,
        reason: `${verdict}`,
        counts: { pass: 0, fail: 0, inconclusive: 0, error: 0, "no-traffic": 0 },
        measurements,
      },
    ],
  };
}

describe("the health-gate verdict", () => {
  it("passes when readiness and analysis pass", () => {
    expect(judgeGate({ ...settings, readiness: readiness(true), analysis: analysis("pass", [measurement(1, "pass", "0.002")]) })).toEqual({
      verdict: "pass",
      healthy: true,
      headline: "the release may take traffic",
    });
  });

  it("fails on readiness first, naming the deadline and the threshold, without the URL's password", () => {
    const judged = judgeGate({ ...settings, readiness: readiness(false, false) });
    expect(judged).toMatchObject({ verdict: "fail", healthy: false, headline: "no answer within 1m" });
    expect(judged.refusal).toBeInstanceOf(GateFailedError);
    expect(judged.refusal?.summary).toBe("not healthy within 1m00s");
    expect(judged.refusal?.findings[0]?.expected).toBe("3 passing probe(s) in a row (the endpoint never answered)");
    expect(judged.refusal?.message).not.toContain("pw@");
  });

  it("a failed analysis quotes the failing value and its threshold, one finding per failed measurement", () => {
    const judged = judgeGate({
      ...settings,
      analysis: analysis("fail", [measurement(1, "pass", "0.002"), measurement(2, "fail", "0.052")]),
    });
    expect(judged.headline).toBe("error-rate measured 0.052, expected at most 0.01, judging color green: `sum(rate(errors[1m]))`");
    expect(judged.refusal?.summary).toBe("analysis failed: error-rate measured 0.052, expected at most 0.01 (color green)");
    expect(judged.refusal?.findings).toEqual([
      { subject: "error-rate measurement 2 of `sum(rate(errors[1m]))`", measured: "0.052", expected: "at most 0.01 (judging color green)" },
    ]);
  });

  it("inconclusive fails by default and passes with a warning when on-inconclusive is pass", () => {
    const result = analysis("inconclusive", [measurement(1, "inconclusive", "0")]);
    const strict = judgeGate({ ...settings, analysis: result });
    expect(strict).toMatchObject({
      verdict: "inconclusive",
      healthy: false,
      headline: "could not judge the release: error-rate no data, judging color green: `sum(rate(errors[1m]))`",
    });
    expect(strict.refusal?.summary).toMatch(/^inconclusive: could not judge the release \(inconclusive by the limits\)/);
    expect(strict.refusal?.findings[0]).toMatchObject({ measured: "0 — no data", expected: "max 0.01 (judging color green)" });
    const lenient = judgeGate({ ...settings, onInconclusive: "pass", analysis: result });
    expect(lenient).toMatchObject({
      verdict: "inconclusive",
      healthy: true,
      headline: "could not judge the release (on-inconclusive: pass): error-rate no data, judging color green: `sum(rate(errors[1m]))`",
    });
    expect(lenient.refusal).toBeUndefined();
    expect(lenient.warning).toMatch(/on-inconclusive is pass, so the gate lets it through$/);
  });
});
