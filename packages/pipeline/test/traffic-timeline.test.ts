import { describe, expect, it } from "vitest";
import { timeOfDay, trafficTimeline } from "../src/traffic-timeline.js";

describe("trafficTimeline", () => {
  it("shows who served, the swap and the swap back, in time order", () => {
    expect(
      trafficTimeline({
        previousColor: "blue",
        newColor: "green",
        switchedAt: "2026-12-02T07:31:02.120Z",
        swappedBackAt: "2026-12-02T07:36:10.004Z",
        backBecause: "the bake on live traffic failed",
      }),
    ).toEqual([
      { color: "blue", what: "served before the run" },
      { at: "2026-12-02T07:31:02.120Z", color: "green", what: "took traffic (swap)" },
      { at: "2026-12-02T07:36:10.004Z", color: "blue", what: "swapped back: the bake on live traffic failed" },
    ]);
  });

  it("says the swap reverted itself when verification failed", () => {
    const timeline = trafficTimeline({
      previousColor: "blue",
      newColor: "green",
      switchedAt: "2026-12-02T07:31:02Z",
      revertedAt: "2026-12-02T07:31:40Z",
    });
    expect(timeline.at(-1)).toEqual({ at: "2026-12-02T07:31:40Z", color: "blue", what: "verification failed, the swap reverted" });
  });

  it("draws a rollout in steps share by share, and the step that sent traffic back", () => {
    const steps = [
      { share: 10, at: "2026-12-02T07:31:02Z", verdict: "pass" },
      { share: 50, at: "2026-12-02T07:36:02Z", verdict: "fail" },
    ];
    expect(
      trafficTimeline({ previousColor: "blue", newColor: "green", switchedAt: steps[0]?.at, revertedAt: "2026-12-02T07:41:03Z", steps }),
    ).toEqual([
      { color: "blue", what: "served before the run" },
      { at: "2026-12-02T07:31:02Z", color: "green", what: "took 10% (step, passed)" },
      { at: "2026-12-02T07:36:02Z", color: "green", what: "took 50% (step, failed)" },
      { at: "2026-12-02T07:41:03Z", color: "blue", what: "the 50% step failed, traffic returned" },
    ]);
    const done = trafficTimeline({
      previousColor: "blue",
      newColor: "green",
      switchedAt: steps[0]?.at,
      steps: [
        { share: 10, at: "2026-12-02T07:31:02Z", verdict: "pass" },
        { share: 100, at: "2026-12-02T07:36:02Z" },
      ],
    });
    expect(done.at(-1)).toEqual({ at: "2026-12-02T07:36:02Z", color: "green", what: "took all traffic (last step)" });
  });

  it("holds only the serving color when traffic never moved", () => {
    expect(trafficTimeline({ previousColor: "blue", newColor: "green" })).toEqual([
      { color: "blue", what: "served throughout; traffic never moved" },
    ]);
  });

  it("prints a time of day in UTC", () => {
    expect(timeOfDay("2026-12-02T07:31:02.120Z")).toBe("07:31:02 UTC");
    expect(timeOfDay("not a time")).toBe("not a time");
  });
});
