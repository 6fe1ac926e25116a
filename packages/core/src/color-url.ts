import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./errors.js";
import type { PlaceholderValues } from "./expand-placeholders.js";
import { fillUrlTemplate, unfilledUrlIssues, urlTemplate } from "./url-template.js";

/**
 * The URL of one color: a template (`http://{color}.app.internal:8080`) or, where the colors
 * differ by more than a name (one host, a port per color), one URL each:
 * `{ blue: http://127.0.0.1:8081, green: http://127.0.0.1:8082 }`.
 */
export type ColorUrl = string | { blue: string; green: string };

const perColor = z.strictObject({ blue: urlTemplate, green: urlTemplate });

/** A URL input given as a template or as a map of color → URL. */
export function colorUrlInput() {
  return z.string().transform((text, ctx): ColorUrl => {
    let doc: unknown;
    try {
      doc = parseYaml(text, { logLevel: "silent" });
    } catch {
      doc = text;
    }
    const result = doc !== null && typeof doc === "object" ? perColor.safeParse(doc) : urlTemplate.safeParse(text.trim());
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({
        code: "custom",
        path: issue.path,
        message:
          doc !== null && typeof doc === "object"
            ? `${issue.message}; a map gives one URL for each color: { blue: …, green: … }`
            : `${issue.message}, or a map { blue: …, green: … }`,
      });
    }
    return z.NEVER;
  });
}

/** Whether a color URL tells the colors apart (a map, or a template holding {color}). */
export function namesEachColor(url: ColorUrl): boolean {
  return typeof url !== "string" || url.includes("{color}");
}

/** The issues that keep a color URL from being filled for `values` (the URL is not quoted). */
export function unfilledColorUrlIssues(input: string, url: ColorUrl, values: PlaceholderValues): ConfigIssue[] {
  if (typeof url === "string") return unfilledUrlIssues(input, url, values);
  if (!values.color) return [{ input, path: "", given: "a map of URLs per color", expected: "the color input, which picks one" }];
  return unfilledUrlIssues(input, url[values.color as "blue" | "green"] ?? "", values);
}

/** The URL for `values.color`, placeholders filled; an unfilled one is a configuration error. */
export function fillColorUrl(input: string, url: ColorUrl, values: PlaceholderValues): string {
  const issues = unfilledColorUrlIssues(input, url, values);
  if (issues.length > 0) throw new ConfigError(issues);
  if (typeof url === "string") return fillUrlTemplate(url, values);
  const chosen = url[values.color as "blue" | "green"];
  if (chosen === undefined) {
    throw ConfigError.single({ input, path: "", given: JSON.stringify(values.color), expected: "blue or green, the colors the map names" });
  }
  return fillUrlTemplate(chosen, values);
}
