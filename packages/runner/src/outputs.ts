import type { Redactor } from "@cutover/core";
import { reportKeys } from "./report-keys.js";
import { fitSummary } from "./summary-limit.js";
import { keepSummarySection } from "./summary-sections.js";
import { appendSummary, setOutput } from "./workflow-commands.js";

/** Sets outputs; every value passes through the redactor so no secret leaves as an output. */
export function setOutputs(outputs: Record<string, string | number | boolean | undefined>, redactor: Redactor): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    setOutput(name, redactor.redact(String(value)));
  }
}

/** The `report` output every action writes: one JSON document a later step can parse, its keys in kebab-case. */
export function setReport(report: unknown, redactor: Redactor): void {
  // Redact before serialising: once JSON-escaped, a secret holding `"`, `\\` or a control character no longer matches itself.
  setOutput("report", redactor.redact(JSON.stringify(redactor.redactDeep(reportKeys(report)))));
}

/** Appends markdown to the step summary, redacted (or keeps it for the outcome step, see summary-sections.ts). */
export async function writeSummary(markdown: string, redactor: Redactor): Promise<void> {
  const text = fitSummary(redactor.redact(markdown));
  if (keepSummarySection(text)) return;
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await appendSummary(text);
}
