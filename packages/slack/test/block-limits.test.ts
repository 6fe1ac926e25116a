import { describe, expect, it } from "vitest";
import { BLOCK_LIMITS, type Block, fitToLimits, TRUNCATION_MARKER, truncateText } from "../src/index.js";

describe("truncateText", () => {
  it("leaves short text alone", () => {
    expect(truncateText("hello", 10)).toBe("hello");
  });

  it("cuts to the limit with a visible marker", () => {
    const cut = truncateText("x".repeat(5000), 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it("never cuts inside a link or an entity, and closes an open code fence", () => {
    const link = `<https://example.test/${"p".repeat(60)}|label>`;
    const cutLink = truncateText(`${"a".repeat(20)} ${link} tail`, 50);
    expect(cutLink).not.toContain("<https");
    expect(truncateText(`${"a".repeat(30)}&amp;${"b".repeat(40)}`, 50)).not.toMatch(/&am?p?\n/);
    const fenced = truncateText(`\`\`\`\n${"log line\n".repeat(100)}\`\`\``, 200);
    expect(fenced.split("```").length - 1).toBe(2);
  });
});

describe("fitToLimits", () => {
  it("cuts header, section text, fields and blocks to Slack's limits and says what it cut", () => {
    const blocks: Block[] = [
      { type: "header", text: { type: "plain_text", text: "H".repeat(400) } },
      { type: "section", text: { type: "mrkdwn", text: "S".repeat(10_000) } },
      { type: "section", fields: Array.from({ length: 14 }, (_, i) => ({ type: "mrkdwn", text: `f${i}` })) },
      ...Array.from({ length: 60 }, () => ({ type: "divider" })),
    ];
    const { message, truncations } = fitToLimits({ text: "t", blocks });
    const out = message.blocks as Block[];
    expect(out).toHaveLength(BLOCK_LIMITS.blocksPerMessage);
    expect((out[0]!.text as { text: string }).text.length).toBeLessThanOrEqual(150);
    expect((out[1]!.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
    const fields = out[2]?.fields as { text: string }[];
    expect(fields).toHaveLength(10);
    expect(fields[9]?.text).toContain("5 more field(s)");
    expect(JSON.stringify(out.at(-1))).toContain("14 more block(s)");
    expect(truncations).toHaveLength(4);
  });

  it("returns an untouched copy when everything fits", () => {
    const input = { text: "t", blocks: [{ type: "section", text: { type: "mrkdwn", text: "ok" } }] };
    const { message, truncations } = fitToLimits(input);
    expect(message).toEqual(input);
    expect(truncations).toEqual([]);
  });
});
