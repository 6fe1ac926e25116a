import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseDuration } from "./duration.js";

/**
 * Schemas for action inputs. Every input arrives as a string (or is absent); these turn it
 * into a typed value. Defaults are declared on the raw string so they read exactly like the
 * `default:` in action.yml, which a test compares against.
 */

const withDefault = (schema: z.ZodString, value: string | undefined) => (value === undefined ? schema : schema.default(value));

/**
 * The longest duration any input takes: 24 days. Node's timers hold at most 2^31-1 ms (about
 * 24.8 days); a longer delay fires at once, so `interval: 30d` would mean "no wait at all".
 */
export const MAX_DURATION_MS = 24 * 86_400_000;

function durationSchema(allowZero: boolean) {
  const range = `a duration ${allowZero ? "from 0" : "above 0"} up to 24d (longer timers overflow)`;
  return z.string().transform((text, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "a duration such as 250ms, 5s, 2m or 1h30m" });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS || (ms === 0 && !allowZero)) {
      ctx.addIssue({ code: "custom", message: range });
      return z.NEVER;
    }
    return ms;
  });
}

/** Milliseconds from `250ms`, `5s`, `2m`, `1h30m`; above zero (a zero timeout or interval means nothing) and at most 24 days. */
export const durationValue = durationSchema(false);

/** Like durationValue, where zero means something (no delay, do not wait). */
export const durationOrZeroValue = durationSchema(true);

/** A duration input; `allowZero` where 0 is a meaningful value (an initial delay, a retry delay). */
export function durationInput(defaultValue?: string, options: { allowZero?: boolean } = {}) {
  return withDefault(z.string(), defaultValue).pipe(options.allowZero ? durationOrZeroValue : durationValue);
}

export function integerInput(options: { default?: string; min?: number; max?: number } = {}) {
  return withDefault(z.string(), options.default).transform((text, ctx) => {
    const value = Number(text.trim());
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      const range =
        options.min !== undefined && options.max !== undefined
          ? ` from ${min} to ${max}`
          : options.min !== undefined
            ? ` of at least ${min}`
            : "";
      ctx.addIssue({ code: "custom", message: `a whole number${range}` });
      return z.NEVER;
    }
    return value;
  });
}

const TRUE = new Set(["true", "True", "TRUE"]);
const FALSE = new Set(["false", "False", "FALSE"]);

/** The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanInput(defaultValue?: "true" | "false") {
  return withDefault(z.string(), defaultValue).transform((text, ctx) => {
    if (TRUE.has(text.trim())) return true;
    if (FALSE.has(text.trim())) return false;
    ctx.addIssue({ code: "custom", message: "true or false" });
    return z.NEVER;
  });
}

export function textInput(defaultValue?: string) {
  return withDefault(z.string(), defaultValue);
}

export function choiceInput<const T extends readonly [string, ...string[]]>(values: T, defaultValue?: T[number]) {
  return withDefault(z.string(), defaultValue).pipe(z.enum(values));
}

/** An absolute http(s) URL. */
export const httpUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  },
  { message: "an absolute http:// or https:// URL" },
);

export function urlInput(defaultValue?: string) {
  return withDefault(z.string(), defaultValue).pipe(httpUrl);
}

/** A YAML or JSON document validated by `schema`; issue paths are inside the document. */
export function structuredInput<T extends z.ZodType>(schema: T, defaultValue?: string) {
  return withDefault(z.string(), defaultValue)
    .transform((text, ctx) => {
      try {
        return parseYaml(text, { uniqueKeys: true }) as unknown;
      } catch (error) {
        const reason = ((error as Error).message.split("\n")[0] ?? "").replace(/:$/, "");
        ctx.addIssue({ code: "custom", message: "a YAML or JSON document", params: { syntaxError: reason } });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A regular expression given as text; it must compile. */
export const regexText = z.string().refine(
  (text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: "a regular expression that compiles (JavaScript syntax)" },
);
