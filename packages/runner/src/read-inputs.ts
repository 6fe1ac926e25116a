import { ConfigError, type ConfigIssue, type Redactor, toConfigIssues } from "@cutover/core";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import type { ActionInputs, ActionSpec } from "./action-spec.js";
import { maskLeaves, maskSecret } from "./masking.js";

/** The environment variable the runner sets for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/**
 * Reads and validates every input of an action at once. Secrets are masked before anything
 * else happens; all problems are reported together, before the action does any work.
 */
export function readInputs<Shape extends Record<string, z.ZodType>>(
  spec: ActionSpec<Shape>,
  redactor: Redactor,
  env: NodeJS.ProcessEnv = process.env,
): ActionInputs<Shape> {
  const secrets = new Set<string>(spec.secretInputs ?? []);
  const issues: ConfigIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(spec.inputs)) {
    const given = env[inputVariable(name)];
    const text = given?.trim();
    const raw = text === "" ? undefined : text;
    const secret = secrets.has(name);
    if (given !== undefined && given !== "" && raw === undefined) {
      // Only whitespace is a mistake (a blank expression), not "use the default": the default may move traffic.
      issues.push({ input: name, path: "", given: "only whitespace", expected: "a value, or leave the input out for its default" });
      continue;
    }
    if (secret && raw !== undefined) maskSecret(raw, redactor);
    const result = schema.safeParse(raw);
    if (result.success) {
      if (secret) maskLeaves(result.data, redactor);
      values[name] = result.data;
    } else {
      issues.push(...toConfigIssues(name, documentOf(raw), result.error.issues, { secret }));
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return values as ActionInputs<Shape>;
}

/** The parsed document of a structured input, so issues can quote the value at their path. */
function documentOf(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    // Silent: yaml's warnings would print parts of the text (a secret input's too) on stderr.
    const doc: unknown = parseYaml(raw, { logLevel: "silent" });
    return doc !== null && typeof doc === "object" ? doc : raw;
  } catch {
    return raw;
  }
}
