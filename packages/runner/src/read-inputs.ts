import { ConfigError, type ConfigIssue, inputVariable, type Redactor, toConfigIssues } from "@cutover/core";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import type { ActionInputs, ActionSpec } from "./action-spec.js";
import { readGitHubContext } from "./github-context.js";
import { maskLeaves, maskSecret } from "./masking.js";
import { renamedInputIssues } from "./renamed-inputs.js";

/**
 * Reads and validates every input of an action at once, then the spec's checks between inputs.
 * Secrets are masked before anything else happens; all problems are reported together, before
 * the action does any work. What a schema needs loaded first (the spec's `preload`) must have
 * been awaited with preloadInputs, as runAction does.
 */
export function readInputs<Shape extends Record<string, z.ZodType>>(
  spec: ActionSpec<Shape>,
  redactor: Redactor,
  env: NodeJS.ProcessEnv = process.env,
): ActionInputs<Shape> {
  const secrets = new Set<string>(spec.secretInputs ?? []);
  const issues: ConfigIssue[] = renamedInputIssues(spec.name, env);
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
  if (spec.checks) {
    // An input whose own value is wrong is reported once, by its schema, not again by a rule that missed it.
    const failed = new Set(issues.map((issue) => issue.input));
    const combined = spec.checks(values as ActionInputs<Shape>, readGitHubContext(env));
    issues.push(...combined.filter((issue) => !failed.has(issue.input)));
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
