import { durationValue } from "@cutover/core";
import { z } from "zod";
import { expectSchema } from "./expect-schema.js";

/** The optional `load` block: a burst of requests whose latency and success rate are gated. */
export const loadSchema = z.strictObject({
  path: z.string().default("/"),
  method: z.enum(["GET", "HEAD", "POST"]).default("GET"),
  requests: z.number().int().min(1).max(1_000_000).default(200),
  concurrency: z.number().int().min(1).max(1_000).default(10),
  "max-p95": durationValue.optional(),
  /** Fraction (0..1) or percentage string (`99.5%`) of requests that must succeed. */
  "min-success-rate": z
    .union([
      z.number().min(0).max(1),
      z
        .string()
        .regex(/^\d+(\.\d+)?%$/)
        .transform((p) => Number(p.slice(0, -1)) / 100),
    ])
    .pipe(z.number().min(0).max(1))
    .optional(),
  /** What counts as a success; by default any 2xx. */
  expect: expectSchema.optional(),
});

export type LoadSpec = z.output<typeof loadSchema>;
