import { describe, expect, it } from "vitest";
import { readableDetails } from "../src/readable-details.js";

describe("readableDetails", () => {
  it("turns a smoke-test report into one line per check", () => {
    const report = {
      url: "https://www.example.com",
      passed: 1,
      failed: 1,
      checks: [
        { name: "home page", ok: true, status: 200, attempts: 1, "latency-ms": 87, failures: [] },
        {
          name: "API health",
          ok: false,
          status: 503,
          attempts: 3,
          "latency-ms": 12,
          failures: [{ assertion: "status", measured: "503", expected: "200" }],
        },
      ],
    };
    expect(readableDetails(JSON.stringify(report))).toBe(
      "✓ home page (200, 87 ms)\n✗ API health after 3 attempts: status: 503, expected 200\nurl: https://www.example.com\npassed: 1\nfailed: 1",
    );
  });

  it("shows any other report as key: value lines, never raw JSON", () => {
    const text = readableDetails(JSON.stringify({ verdict: "fail", reason: "error ratio 0.12 > 0.05", analysis: { window: "5m" } }));
    expect(text).toBe("verdict: fail\nreason: error ratio 0.12 > 0.05\nanalysis:\n  window: 5m");
    expect(text).not.toContain("{");
  });

  it("leaves text that is not a JSON object as it is", () => {
    expect(readableDetails("deploy.sh exited 1\nsee the log")).toBe("deploy.sh exited 1\nsee the log");
    expect(readableDetails("42")).toBe("42");
  });
});
