import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseDuration } from "./duration.js";

/**
 * Schemas for action inputs. Every input arrives as a string (or is absent); these turn it
 * into a typed value. Defaults are declared on the raw string so they read exactly like the
 * `default:` in action.yml, which a test compares against.
 */

const withDefault = (schema: z.ZodString, value: string | undefined) => (value === undefined ? schema : schema.default(value));

/** Milliseconds from `250ms`, `5s`, `2m`, `1h30m`. */
export const durationValue = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "a duration such as 250ms, 5s, 2m or 1h30m" });
    return z.NEVER;
  }
});

export function durationInput(defaultValue?: string) {
  return withDefault(z.string(), defaultValue).pipe(durationValue);
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
