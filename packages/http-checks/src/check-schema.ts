import { durationValue, httpUrl } from "@cutover/core";
import { z } from "zod";
import { expectSchema } from "./expect-schema.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** One smoke check as users write it in the `checks` input. */
export const checkSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    path: z.string().optional(),
    /** An absolute URL, instead of a path joined onto the base `url` input. */
    url: httpUrl.optional(),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS))
      .default("GET"),
    headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
    body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    "request-timeout": durationValue.optional(),
    retries: z.number().int().min(0).max(20).optional(),
    "follow-redirects": z.boolean().optional(),
    expect: expectSchema.optional(),
  })
  .refine((check) => !(check.path !== undefined && check.url !== undefined), {
    message: "either path or url, not both",
  });

export type CheckSpec = z.output<typeof checkSchema>;

export const checkListSchema = z.array(checkSchema).min(1);
