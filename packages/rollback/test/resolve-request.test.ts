import type { DeploymentRecord } from "@cutover/ledger";
import { describe, expect, it } from "vitest";
import { resolveRequest } from "../src/index.js";

function record(id: number, settings: Record<string, string>): DeploymentRecord {
  return {
    id,
    environment: "production",
    state: "success",
    createdAt: "2026-12-02T10:00:00Z",
    updatedAt: "2026-12-02T10:00:00Z",
    payload: { version: `v${id}`, ref: "main", sha: "a".repeat(40), color: id % 2 ? "blue" : "green", settings },
  } as unknown as DeploymentRecord;
}

const request = { environment: "production", strategy: "auto" as const };

describe("resolveRequest: verifying on the path the deployment verified", () => {
  it("joins the recorded verify-path onto the recorded public URL (an API without a / route)", () => {
    const target = record(1, { "public-url": "https://api.example.com", "verify-path": "/health" });
    const { request: resolved } = resolveRequest(request, { from: record(2, {}), target, reason: "test" });
    expect(resolved.verify?.url).toBe("https://api.example.com/health");
  });

  it("takes a verify-path given to rollback.yml over the recorded one", () => {
    const target = record(1, { "public-url": "https://api.example.com", "verify-path": "/health" });
    const given = { ...request, settings: { "verify-path": "/ready" } };
    expect(resolveRequest(given, { from: record(2, {}), target, reason: "test" }).request.verify?.url).toBe(
      "https://api.example.com/ready",
    );
  });

  it("never adds a path to a verify URL that names its own", () => {
    const target = record(1, { "verify-path": "/health" });
    const given = { ...request, verify: { url: "https://api.example.com/status", timeoutMs: 1_000 } };
    expect(resolveRequest(given, { from: record(2, {}), target, reason: "test" }).request.verify?.url).toBe(
      "https://api.example.com/status",
    );
  });
});
