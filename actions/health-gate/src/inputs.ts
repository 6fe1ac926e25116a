import { metricListSchema } from "@cutover/analysis";
import { choiceInput, durationInput, integerInput, secretStructuredInput, structuredInput, urlInput } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { z } from "zod";

const headerMap = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const healthGate = defineAction({
  name: "health-gate",
  inputs: {
    url: urlInput().optional(),
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
  },
  secretInputs: ["headers", "prometheus-headers"],
});
