import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toConfigIssues } from "../src/config-issues.js";
import { formatConfigIssue } from "../src/errors.js";
import { secretStructuredInput } from "../src/secret-structured-input.js";

const envMap = secretStructuredInput(z.record(z.string(), z.string()));
const SECRET = "secretValue-9f3";

function messages(text: string): string {
  const result = envMap.safeParse(text);
  expect(result.success).toBe(false);
  if (result.success) return "";
  return toConfigIssues("router-env", text, result.error.issues, { secret: true }).map(formatConfigIssue).join("\n");
}

describe("secretStructuredInput", () => {
  it("reads plain YAML and JSON maps literally", () => {
    expect(envMap.parse(`TOKEN: ${SECRET}\nOTHER: "a&b*c!d"`)).toEqual({ TOKEN: SECRET, OTHER: "a&b*c!d" });
    expect(envMap.parse(JSON.stringify({ TOKEN: SECRET }))).toEqual({ TOKEN: SECRET });
  });

  it.each([
    ["an alias", `TOKEN: *${SECRET}`, "an alias (*) on line 1"],
    ["a tag", `TOKEN: !${SECRET} x`, "a tag (!) on line 1"],
    ["an anchor", `A: &${SECRET} Bearer abc`, "an anchor (&) on line 1"],
    ["a merge key", `base: { A: b }\nmore:\n  <<: { B: ${SECRET} }`, "a merge key (<<) on line 3"],
  ])("refuses %s, says where, and never quotes the text", (_name, text, where) => {
    const message = messages(text);
    expect(message).toContain(
      `input 'router-env': got ${where}; expected plain YAML or JSON without anchors (&), aliases (*), tags (!) or merge keys (<<)`,
    );
    expect(message).not.toContain(SECRET);
  });

  it("reports a syntax error by code and place, without the source", () => {
    const message = messages(`TOKEN: "${SECRET}\n  x: [`);
    expect(message).toMatch(/input 'router-env': got text that does not parse \([A-Z_]+ at line \d+, column \d+\)/);
    expect(message).not.toContain(SECRET);
  });

  it("refuses duplicate keys without quoting", () => {
    const message = messages(`A: ${SECRET}\nA: y`);
    expect(message).toContain("DUPLICATE_KEY at line 2, column 1");
    expect(message).not.toContain(SECRET);
  });
});
