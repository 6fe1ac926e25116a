import { describe, expect, it } from "vitest";
import { bakeSchedule } from "../src/bake-schedule.js";

describe("bakeSchedule", () => {
  it("probes the whole bake when nothing else judges it", () => {
    expect(bakeSchedule({ durationMs: 300_000, intervalMs: 30_000, analysisIntervalMs: 30_000, analyses: false })).toEqual({
      healthyThreshold: 10,
      analysisCount: 10,
      timeoutMs: 300_000 + 60_000 + 60_000,
    });
  });

  it("lets the analysis fill the bake when metrics or rules judge it", () => {
    const schedule = bakeSchedule({ durationMs: 300_000, intervalMs: 30_000, analysisIntervalMs: 60_000, analyses: true });
    expect(schedule.healthyThreshold).toBe(2);
    expect(schedule.analysisCount).toBe(5);
  });

  it("rounds a partial interval up and never goes below one", () => {
    expect(bakeSchedule({ durationMs: 70_000, intervalMs: 30_000, analysisIntervalMs: 30_000, analyses: false }).healthyThreshold).toBe(3);
    expect(bakeSchedule({ durationMs: 1_000, intervalMs: 30_000, analysisIntervalMs: 30_000, analyses: false })).toMatchObject({
      healthyThreshold: 1,
      analysisCount: 1,
    });
  });
});
