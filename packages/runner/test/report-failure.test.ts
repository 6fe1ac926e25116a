import { ConfigError, GateFailedError, Redactor } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reportFailure } from "../src/run-action.js";

let lines: string[];
beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

/** The one ::error command written, as title and message. */
function annotation(): { title: string; message: string } {
  const line =
    lines
      .join("")
      .split("\n")
      .find((l) => l.startsWith("::error")) ?? "";
  const match = /^::error title=(.*?)::(.*)$/.exec(line);
  const decode = (text: string) => text.replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  return { title: decode(match?.[1] ?? ""), message: decode(match?.[2] ?? "") };
}

describe("reportFailure", () => {
  it("says a gate's headline once: in the title, with the findings as the message", () => {
    reportFailure(
      "smoke-test",
      new GateFailedError("1 of 1 checks failed", [{ subject: "GET / status", measured: "500", expected: "2xx" }]),
      new Redactor(),
    );
    const { title, message } = annotation();
    expect(title).toBe("smoke-test: 1 of 1 checks failed");
    expect(message).toBe("- GET / status: measured 500, expected 2xx");
    expect(process.exitCode).toBe(1);
  });

  it("a gate without findings: the headline is the message too, there being nothing else to say", () => {
    reportFailure("health-gate", new GateFailedError("endpoint unhealthy"), new Redactor());
    expect(annotation()).toEqual({ title: "health-gate: endpoint unhealthy", message: "endpoint unhealthy" });
  });

  it("bad inputs: the title counts them, the message says nothing changed and lists them", () => {
    reportFailure("migrate", new ConfigError([{ input: "dir", path: "", given: '"x"', expected: "a directory" }]), new Redactor());
    const { title, message } = annotation();
    expect(title).toBe("migrate: invalid input");
    expect(message).toBe("nothing was changed\ninput 'dir': got \"x\"; expected a directory");
    expect(message).not.toContain("migrate: invalid input");
  });

  it("an unexpected error names itself in the title only, redacted", () => {
    const redactor = new Redactor();
    redactor.add("s3cr3t-value");
    reportFailure("rollback", new Error("GitHub API said no to s3cr3t-value"), redactor);
    expect(annotation()).toEqual({ title: "rollback: unexpected error", message: "GitHub API said no to ***" });
  });
});
