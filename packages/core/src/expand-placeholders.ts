/** The placeholders cutover fills in metric queries, alert rules and URL inputs. */
export const PLACEHOLDERS = ["color", "previous-color", "version", "previous-version", "environment"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

// Only the known names: PromQL's own braces (`x{code="500"}`) never look like `{color}`.
const PATTERN = new RegExp(`\\{(${PLACEHOLDERS.join("|")})\\}`, "g");

/** The placeholder values an action's inputs give (inputs named like the placeholders; empty ones left out). */
export function placeholderValuesOf(inputs: Partial<Record<Placeholder, string | undefined>>): PlaceholderValues {
  const out: PlaceholderValues = {};
  for (const name of PLACEHOLDERS) {
    const value = inputs[name];
    if (value) out[name] = value;
  }
  return out;
}

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1] as Placeholder))];
}

/** The placeholders a text uses that have no value. */
export function missingPlaceholders(text: string, values: PlaceholderValues): Placeholder[] {
  return placeholdersIn(text).filter((name) => !values[name]);
}

/**
 * Replaces `{color}`, `{previous-color}`, `{version}`, `{previous-version}` and `{environment}`;
 * `encode` escapes each value for where it lands (e.g. encodeURIComponent in a URL path).
 * Throws when a used placeholder has no value: check with `missingPlaceholders` first to report it as configuration.
 */
export function expandPlaceholders(text: string, values: PlaceholderValues, encode: (value: string) => string = (v) => v): string {
  return text.replace(PATTERN, (_, name: Placeholder) => {
    const value = values[name];
    if (!value) throw new Error(`{${name}} has no value`);
    return encode(value);
  });
}
