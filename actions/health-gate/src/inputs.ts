import { metricListSchema } from "@cutover/analysis";
import {
  choiceInput,
  colorUrlInput,
  durationInput,
  integerInput,
  secretStructuredInput,
  structuredInput,
  textInput,
  urlInput,
  urlPath,
} from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { z } from "zod";
import { combinationIssues } from "./input-combinations.js";

const headerMap = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

/** `scope`: label → value (placeholders allowed), e.g. `{ color: "{color}" }`. */
const scopeSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a Prometheus label name such as color or version"),
  z.union([z.string().min(1), z.number().transform(String)]),
);

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
    timeout: durationInput("5m"),
    "request-timeout": durationInput("5s"),
    "healthy-threshold": integerInput({ default: "3", min: 1, max: 1000 }),
    "unhealthy-threshold": integerInput({ default: "3", min: 1, max: 1000 }),
    headers: secretStructuredInput(headerMap).optional(),
    "prometheus-url": urlInput().optional(),
    "prometheus-headers": secretStructuredInput(headerMap).optional(),
    metrics: structuredInput(metricListSchema).optional(),
    "analysis-interval": durationInput("30s"),
    "analysis-count": integerInput({ default: "5", min: 1, max: 10_000 }),
    "failure-limit": integerInput({ default: "0", min: 0 }),
    "inconclusive-limit": integerInput({ default: "1", min: 0 }),
    "initial-delay": durationInput("0s", { allowZero: true }),
    "on-inconclusive": choiceInput(["fail", "pass"], "fail"),
    scope: structuredInput(scopeSchema).optional(),
    "alert-rules": textInput().optional(),
    color: textInput().optional(),
    "previous-color": textInput().optional(),
    version: textInput().optional(),
    "previous-version": textInput().optional(),
    environment: textInput().optional(),
    "swapped-at": textInput().pipe(instant).optional(),
    duration: durationInput().optional(),
  },
  secretInputs: ["headers", "prometheus-headers"],
  checks: combinationIssues,
});
