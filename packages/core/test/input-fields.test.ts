import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toConfigIssues } from "../src/config-issues.js";
import { formatConfigIssue } from "../src/errors.js";
import { booleanInput, choiceInput, durationInput, integerInput, structuredInput, urlInput } from "../src/input-fields.js";

function issues(input: string, schema: z.ZodType, raw: string | undefined, doc?: unknown) {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error("expected a failure");
  return toConfigIssues(input, doc ?? raw, result.error.issues).map(formatConfigIssue);
}

describe("input fields", () => {
  it("apply their default to a missing value", () => {
    expect(durationInput("10s").parse(undefined)).toBe(10_000);
    expect(integerInput({ default: "3" }).parse(undefined)).toBe(3);
    expect(booleanInput("true").parse(undefined)).toBe(true);
  });

  it("read YAML 1.2 booleans as the runner does", () => {
    expect(booleanInput().parse("False")).toBe(false);
    expect(issues("revert", booleanInput(), "yes")).toEqual(["input 'revert': got \"yes\"; expected true or false"]);
  });

  it("name the input, the value and the expectation", () => {
    expect(issues("timeout", durationInput(), "10 seconds")).toEqual([
      "input 'timeout': got \"10 seconds\"; expected a duration such as 250ms, 5s, 2m or 1h30m",
    ]);
    expect(issues("retries", integerInput({ min: 0, max: 5 }), "9")).toEqual([
      "input 'retries': got \"9\"; expected a whole number from 0 to 5",
    ]);
    expect(issues("url", urlInput(), "/health")).toEqual(["input 'url': got \"/health\"; expected an absolute http:// or https:// URL"]);
    expect(issues("mode", choiceInput(["apply", "plan"]), "aply")).toEqual(['input \'mode\': got "aply"; expected one of "apply", "plan"']);
  });

  it("report a missing required input", () => {
    expect(issues("url", urlInput(), undefined)).toEqual(["input 'url': nothing was given; expected a string"]);
  });

  it("point inside a structured input at the offending path and value", () => {
    const schema = structuredInput(z.array(z.strictObject({ path: z.string(), retries: z.number().int().optional() })));
    const text = "- path: /a\n  retries: many\n- path: /b\n  retires: 2";
    const doc = [
      { path: "/a", retries: "many" },
      { path: "/b", retires: 2 },
    ];
    expect(issues("checks", schema, text, doc)).toEqual([
      "input 'checks' at [0].retries: got \"many\"; expected a number",
      "input 'checks' at [1].retires: got unknown key 'retires'; expected only known keys (check the spelling or the documentation)",
    ]);
  });

  it("reject text that is not YAML", () => {
    const [message] = issues("checks", structuredInput(z.array(z.unknown())), "- a: [1, 2");
    expect(message).toMatch(
      /^input 'checks': got text that does not parse \(.+ at line 1, column \d+\); expected a YAML or JSON document$/,
    );
  });
});

describe("duration inputs are bounded (issue 12 #8)", () => {
  it("refuse anything a timer cannot hold, naming the input", () => {
    expect(issues("interval", durationInput("5s"), "30d")).toEqual([
      "input 'interval': got \"30d\"; expected a duration above 0 up to 24d (longer timers overflow)",
    ]);
    expect(issues("timeout", durationInput(), String(2 ** 31))).toHaveLength(1);
    expect(durationInput().parse("24d")).toBe(24 * 86_400_000);
  });

  it("refuse zero unless zero means something", () => {
    expect(issues("timeout", durationInput(), "0s")).toEqual([
      "input 'timeout': got \"0s\"; expected a duration above 0 up to 24d (longer timers overflow)",
    ]);
    expect(issues("timeout", durationInput(), "0.0001s")).toHaveLength(1);
    expect(durationInput(undefined, { allowZero: true }).parse("0s")).toBe(0);
    expect(issues("initial-delay", durationInput(undefined, { allowZero: true }), "-5s")).toEqual([
      "input 'initial-delay': got \"-5s\"; expected a duration such as 250ms, 5s, 2m or 1h30m",
    ]);
  });
});
