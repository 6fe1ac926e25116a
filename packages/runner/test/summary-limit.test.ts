import { describe, expect, it } from "vitest";
import { fitSummary } from "../src/summary-limit.js";

describe("fitSummary", () => {
  it("leaves a summary under the limit alone", () => {
    expect(fitSummary("## ok\n| a | b |\n", 1000)).toBe("## ok\n| a | b |\n");
  });

  it("cuts a long summary at a whole line, under the limit, with a visible note", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `| migration ${i} | expand | ✓ |`).join("\n");
    const fitted = fitSummary(`## Migrations\n${rows}\n`, 20_000);
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(20_000);
    expect(fitted).toContain("**Summary truncated**");
    expect(fitted).toMatch(/\| migration \d+ \| expand \| ✓ \|\n\n> \*\*Summary truncated\*\*/);
    expect(fitted).toContain("KiB shown");
  });

  it("never splits a multi-byte character and closes an open code fence", () => {
    const fitted = fitSummary(`\`\`\`sql\n${"SELECT 'é✓';\n".repeat(4000)}\`\`\`\n`, 10_000);
    expect(fitted).not.toContain("\uFFFD");
    expect((fitted.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(10_000);
  });
});
