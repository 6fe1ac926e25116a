import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError, PLACEHOLDERS, parseDuration, toConfigIssues } from "@cutover/core";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { loadPromqlGrammar } from "./promql-grammar.js";
import { promqlSyntaxError } from "./promql-scope.js";

/** One alerting rule as the gate evaluates it. */
export interface AlertRule {
  /** `group/alert`, unique in the file. */
  name: string;
  alert: string;
  expr: string;
  /** How long the expression must return something before the alert fires. */
  forMs: number;
  keepFiringForMs: number;
  /** `labels.severity`; `warning` and `info` only warn, anything else (or none) fails the gate. */
  severity: string;
}

const duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "a duration such as 30s, 5m or 1h" });
    return z.NEVER;
  }
});

const standIns = (text: string) => PLACEHOLDERS.reduce((out, name) => out.replaceAll(`{${name}}`, "placeholder"), text);

const expr = z.union([z.string(), z.number().transform(String)]).superRefine((text, ctx) => {
  const error = promqlSyntaxError(standIns(text));
  if (error) ctx.addIssue({ code: "custom", message: "PromQL the official grammar accepts", params: { syntaxError: error.message } });
});

// The fields of Prometheus's rule file format; unknown keys are refused, as Prometheus does.
const rule = z
  .strictObject({
    alert: z.string().min(1).optional(),
    record: z.string().min(1).optional(),
    expr,
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.alert === undefined) === (r.record === undefined)) {
      ctx.addIssue({ code: "custom", path: ["alert"], message: "either alert: (an alerting rule) or record: (a recording rule)" });
    }
  });

const ruleFileSchema = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        interval: z.string().optional(),
        query_offset: z.string().optional(),
        limit: z.number().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        rules: z.array(rule),
      }),
    )
    .min(1),
});

/** The alerting rules of a Prometheus rule file's text; recording rules are left out (they do not gate). Needs loadPromqlGrammar first. */
export function parseAlertRules(text: string, input = "alert-rules"): AlertRule[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw ConfigError.single({
      input,
      path: "",
      given: `YAML that does not parse (${(error as Error).message.split("\n")[0]})`,
      expected: "a Prometheus rule file",
    });
  }
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(toConfigIssues(input, raw, parsed.error.issues));
  const rules: AlertRule[] = [];
  for (const group of parsed.data.groups) {
    for (const rule of group.rules) {
      if (rule.alert === undefined) continue;
      rules.push({
        name: `${group.name}/${rule.alert}`,
        alert: rule.alert,
        expr: rule.expr,
        forMs: rule.for ?? 0,
        keepFiringForMs: rule.keep_firing_for ?? 0,
        severity: rule.labels?.severity ?? group.labels?.severity ?? "",
      });
    }
  }
  if (rules.length === 0) {
    throw ConfigError.single({
      input,
      path: "groups",
      given: "no alerting rule (only recording rules)",
      expected: "at least one rule with alert: and expr:",
    });
  }
  return rules;
}

/** Reads and parses a rule file from the repository (`path` relative to `cwd`). */
export async function loadAlertRules(path: string, cwd: string, input = "alert-rules"): Promise<AlertRule[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    throw ConfigError.single({
      input,
      path: "",
      given: `${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
      expected: "a rule file in the repository",
    });
  }
  await loadPromqlGrammar();
  return parseAlertRules(text, input);
}

/** Whether a rule's severity only warns. */
export function ruleOnlyWarns(rule: AlertRule): boolean {
  return rule.severity === "warning" || rule.severity === "info";
}
