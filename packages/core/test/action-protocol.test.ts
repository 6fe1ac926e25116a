import { describe, expect, it } from "vitest";
import { parseFileCommands, parseWorkflowCommands } from "../src/action-protocol.js";

describe("parseWorkflowCommands", () => {
  it("reads annotations with escaped properties and data, masks, and the plain log", () => {
    const stdout = [
      "plain line",
      "::add-mask::s3cret",
      "::error title=smoke-test%3A 2 failed,file=a.yml::line one%0Aline two 100%25",
      "::warning::careful",
    ].join("\n");
    const parsed = parseWorkflowCommands(stdout);
    expect(parsed.log).toEqual(["plain line"]);
    expect(parsed.masks).toEqual(["s3cret"]);
    expect(parsed.annotations).toEqual([
      { level: "error", message: "line one\nline two 100%", properties: { title: "smoke-test: 2 failed", file: "a.yml" } },
      { level: "warning", message: "careful", properties: {} },
    ]);
  });
});

describe("parseFileCommands", () => {
  it("reads heredoc values (multi-line) and name=value lines", () => {
    const text = 'report<<ghadelimiter_1\n{"a":1}\nsecond line\nghadelimiter_1\nsimple=yes\n';
    expect(parseFileCommands(text)).toEqual({ report: '{"a":1}\nsecond line', simple: "yes" });
  });

  it("refuses an unterminated heredoc", () => {
    expect(() => parseFileCommands("x<<EOF\nvalue\n")).toThrow("unterminated heredoc for x");
  });
});
