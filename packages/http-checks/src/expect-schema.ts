import { durationValue, regexText } from "@cutover/core";
import { z } from "zod";
import { parseJsonPath } from "./json-path.js";
import { regexLiteralError } from "./text-matcher.js";

const STATUS_CLASS = /^[1-5]xx$/i;

/** One accepted status: an exact code or a class such as `2xx`. */
export const statusPattern = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(STATUS_CLASS, { message: "a status code (e.g. 200) or a class such as 2xx" }),
  z
    .string()
    .regex(/^\d{3}$/)
    .transform(Number),
]);

/** What a response must look like. Every key is optional; unknown keys are errors. */
export const expectSchema = z
  .strictObject({
    status: z.union([statusPattern, z.array(statusPattern).min(1)]).optional(),
    "max-latency": durationValue.optional(),
    "body-contains": z.union([z.string(), z.array(z.string())]).optional(),
    "body-not-contains": z.union([z.string(), z.array(z.string())]).optional(),
    "body-matches": regexText.optional(),
    /** JSONPath-style path (`$.version`, `$.items[0].id`) to the expected value; `/re/` strings match. */
    json: z.record(z.string().regex(/^\$/, { message: "a path starting with $, such as $.version" }), z.unknown()).optional(),
    /** Header name to expected value; `/re/` strings match. */
    headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  })
  .superRefine((expect, ctx) => {
    // Paths and /regex/ literals are checked now so a typo fails before any request is sent.
    for (const [path, value] of Object.entries(expect.json ?? {})) {
      try {
        parseJsonPath(path);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["json", path], message: (error as Error).message });
      }
      const regexError = typeof value === "string" ? regexLiteralError(value) : undefined;
      if (regexError) ctx.addIssue({ code: "custom", path: ["json", path], message: `a regex that compiles (${regexError})` });
    }
    for (const [name, value] of Object.entries(expect.headers ?? {})) {
      const regexError = regexLiteralError(value);
      if (regexError) ctx.addIssue({ code: "custom", path: ["headers", name], message: `a regex that compiles (${regexError})` });
    }
  });

export type Expect = z.output<typeof expectSchema>;
