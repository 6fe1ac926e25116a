import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./errors.js";
import { expandPlaceholders, missingPlaceholders, PLACEHOLDERS, type PlaceholderValues, placeholdersIn } from "./expand-placeholders.js";
import { httpUrl } from "./input-fields.js";

// Stand-ins that make a template parseable as a URL; a real value is checked again once filled.
const SAMPLE: PlaceholderValues = Object.fromEntries(PLACEHOLDERS.map((name) => [name, "x"]));

/**
 * A URL input that may hold `{color}`, `{version}`… (e.g. http://{color}.app.internal:8080/health):
 * valid when it is an absolute http(s) URL with every placeholder filled. Filled by `fillUrlTemplate`.
 */
export function urlTemplateInput(defaultValue?: string) {
  const base = defaultValue === undefined ? z.string() : z.string().default(defaultValue);
  return base.pipe(urlTemplate);
}

/** A path joined onto a URL input, e.g. /health or /api/status?deep=1. */
export const urlPath = z.string().regex(/^\/[^\s#]*$/, "a path starting with /, e.g. /health");

/** The text of a URL template; see `urlTemplateInput`. */
export const urlTemplate = z.string().refine(
  (text) => {
    const filled = expandPlaceholders(text, SAMPLE);
    // A brace left over is a misspelt placeholder ({colour}): the URL parser would take it as a host.
    return !/[{}]/.test(filled) && httpUrl.safeParse(filled).success;
  },
  {
    message: `an absolute http:// or https:// URL (placeholders such as {color} allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")})`,
  },
);

/** The URL with its placeholders filled, each value escaped for a URL; throws if a value is missing. */
export function fillUrlTemplate(template: string, values: PlaceholderValues): string {
  const url = expandPlaceholders(template, values, encodeURIComponent);
  if (!httpUrl.safeParse(url).success) throw new Error(`${url} is not an absolute http(s) URL`);
  return url;
}

/** Whether a URL input holds a placeholder. */
export function isUrlTemplate(text: string): boolean {
  return placeholdersIn(text).length > 0;
}

/** A placeholder of the URL input `input` whose own input is empty (the URL is not quoted: it may carry credentials). */
export function unfilledUrlIssues(input: string, template: string, values: PlaceholderValues): ConfigIssue[] {
  return missingPlaceholders(template, values).map((name) => ({
    input,
    path: "",
    given: `{${name}}`,
    expected: `the ${name} input, which fills {${name}}`,
  }));
}

/** The URL input `input` with its placeholders filled; an unfilled one is a configuration error naming both. */
export function fillUrlInput(input: string, template: string, values: PlaceholderValues): string {
  const issues = unfilledUrlIssues(input, template, values);
  if (issues.length > 0) throw new ConfigError(issues);
  return fillUrlTemplate(template, values);
}
