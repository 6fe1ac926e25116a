// Generates the input, secret and output tables of docs/workflows/<name>.md from each reusable
// workflow in .github/workflows (on: workflow_call), between the
// `<!-- cutover:workflow -->` / `<!-- cutover:end -->` markers.
// --write updates the files; --check fails when one is stale or missing (CI runs it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { root } from "./actions.mjs";

import { cell, END, finish, mode, replaceSection } from "./generated-section.mjs";

const START = "<!-- cutover:workflow -->";
const workflowsDir = join(root, ".github", "workflows");
const docsDir = join(root, "docs", "workflows");

const code = (value) => (value === undefined || value === "" ? "" : `\`${cell(value)}\``);

/** The reusable workflows (on: workflow_call) of this repository, by file name. */
function reusableWorkflows() {
  return readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => ({ file, workflow: parse(readFileSync(join(workflowsDir, file), "utf8")) }))
    .filter(({ workflow }) => workflow?.on && typeof workflow.on === "object" && "workflow_call" in workflow.on);
}

function tables(call) {
  const inputs = Object.entries(call.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.type ?? "string"} | ${input.required ? "yes" : "no"} | ${code(input.default)} | ${cell(input.description)} |`,
  );
  const secrets = Object.entries(call.secrets ?? {}).map(
    ([name, secret]) => `| \`${name}\` | ${secret?.required ? "yes" : "no"} | ${cell(secret?.description)} |`,
  );
  const outputs = Object.entries(call.outputs ?? {}).map(([name, output]) => `| \`${name}\` | ${cell(output?.description)} |`);
  return [
    START,
    "### Inputs",
    "",
    "| Input | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
    ...inputs,
    "",
    "### Secrets",
    "",
    "| Secret | Required | Description |",
    "| --- | --- | --- |",
    ...secrets,
    "",
    "### Outputs",
    "",
    "| Output | Description |",
    "| --- | --- |",
    ...outputs,
    END,
  ].join("\n");
}

const stale = [];
for (const { file, workflow } of reusableWorkflows()) {
  const docPath = join(docsDir, file.replace(/\.ya?ml$/, ".md"));
  const call = workflow.on.workflow_call ?? {};
  let doc;
  if (existsSync(docPath)) doc = readFileSync(docPath, "utf8");
  else if (mode === "write") doc = `# ${workflow.name ?? file}\n\n${START}\n${END}\n`;
  else {
    stale.push(`${file} (no ${docPath})`);
    continue;
  }
  const fresh = replaceSection(doc, START, tables(call), docPath);
  if (fresh !== doc) {
    if (mode === "write") writeFileSync(docPath, fresh);
    stale.push(file);
  }
}
finish(stale, { checked: "workflow docs match .github/workflows", stalePrefix: "workflow doc tables are stale for" });
