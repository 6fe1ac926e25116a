import { analysisInputs, analysisPreloads, headerMapSchema, releaseInputs } from "@cutover/analysis";
import { colorUrlInput, durationInput, integerInput, secretStructuredInput, structuredInput, textInput, urlPath } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { z } from "zod";
import { combinationIssues } from "./input-combinations.js";

/** An instant: RFC 3339 (2026-12-02T04:00:00Z) or Unix seconds. */
const instant = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  const date = /^\d+(\.\d+)?$/.test(trimmed) ? new Date(Number(trimmed) * 1000) : new Date(trimmed);
  if (trimmed === "" || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: "an instant such as 2026-12-02T04:00:00Z or Unix seconds" });
    return z.NEVER;
  }
  return date;
});

export const healthGate = defineAction({
  name: "health-gate",
  inputs: {
    url: colorUrlInput().optional(),
    path: urlPath.optional(),
    expect: structuredInput(expectSchema).optional(),
    interval: durationInput("5s"),
    deadline: durationInput("5m"),
    "request-timeout": durationInput("5s"),
    "healthy-threshold": integerInput({ default: "3", min: 1, max: 1000 }),
    "unhealthy-threshold": integerInput({ default: "3", min: 1, max: 1000 }),
    headers: secretStructuredInput(headerMapSchema).optional(),
    ...analysisInputs,
    "analysis-count": integerInput({ default: "5", min: 1, max: 10_000 }),
    "initial-delay": durationInput("0s", { allowZero: true }),
    color: textInput().optional(),
    "previous-color": textInput().optional(),
    ...releaseInputs,
    "switched-at": textInput().pipe(instant).optional(),
    "bake-duration": durationInput().optional(),
  },
  secretInputs: ["headers", "prometheus-headers"],
  checks: combinationIssues,
  preload: analysisPreloads,
});
