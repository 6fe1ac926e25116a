import { describe, expect, it } from "vitest";
import { kebabCase, reportKeys } from "../src/report-keys.js";

describe("report keys", () => {
  it("names every key as the outputs do, in kebab-case, at any depth", () => {
    const report = reportKeys({
      durationMs: 12,
      switch: { steps: [{ durationMs: 3, statusMs: 1 }] },
      load: { p99Ms: 5, requestsPerSecond: 900, client: { eventLoopDelayP99Ms: 2 } },
      "latency-ms": 4,
    });
    expect(report).toEqual({
      "duration-ms": 12,
      switch: { steps: [{ "duration-ms": 3, "status-ms": 1 }] },
      load: { "p99-ms": 5, "requests-per-second": 900, client: { "event-loop-delay-p99-ms": 2 } },
      "latency-ms": 4,
    });
  });

  it("leaves maps keyed by the user's own names as they are", () => {
    const report = reportKeys({
      headers: { "X-Request-Id": "a", authToken: "***" },
      scope: { deployColor: "green" },
      previousWeights: { blue: 100 },
    });
    expect(report).toEqual({
      headers: { "X-Request-Id": "a", authToken: "***" },
      scope: { deployColor: "green" },
      "previous-weights": { blue: 100 },
    });
  });

  it("serialises what has a toJSON (dates, errors made plain) before naming its keys", () => {
    expect(reportKeys({ at: new Date(0), wrapped: { toJSON: () => ({ fromId: 7 }) } })).toEqual({
      at: "1970-01-01T00:00:00.000Z",
      wrapped: { "from-id": 7 },
    });
  });

  it("keeps keys that are not identifiers, such as a header or a kebab-case name", () => {
    expect(["Content-Type", "p50", "x_y", "active-color", "ID"].map(kebabCase)).toEqual([
      "Content-Type",
      "p50",
      "x_y",
      "active-color",
      "ID",
    ]);
  });
});
