import { describe, expect, it } from "vitest";
import { analysisPreloads, loadPromqlGrammar, metricListSchema, promqlSyntaxError } from "../src/index.js";

// This file's module state starts without the grammar, as a bundle does at start-up.
describe("the PromQL grammar, loaded on first use", () => {
  it("refuses a synchronous parse before it is loaded with an internal error that says what to await", () => {
    expect(() => promqlSyntaxError("up")).toThrow(/internal error: PromQL parsed before its grammar was loaded.*loadPromqlGrammar/);
    expect(() => metricListSchema.safeParse([{ name: "errors", query: "up", max: 1 }])).toThrow(/grammar was loaded/);
  });

  it("parses once loaded, the same parser on every load", async () => {
    const parser = await loadPromqlGrammar();
    expect(await loadPromqlGrammar()).toBe(parser);
    expect(promqlSyntaxError("sum(rate(x[5m]))")).toBeUndefined();
    expect(promqlSyntaxError("sum(rate(x[5m])")?.column).toBe(16);
    expect(metricListSchema.safeParse([{ name: "errors", query: "up", max: 1 }]).success).toBe(true);
  });

  it("is what every analysis input that parses or applies PromQL preloads", () => {
    expect(Object.keys(analysisPreloads).sort()).toEqual(["alert-rules", "metrics", "scope"]);
    for (const load of Object.values(analysisPreloads)) expect(load).toBe(loadPromqlGrammar);
  });
});
