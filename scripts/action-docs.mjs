// Generates the inputs/outputs tables of each actions/<name>/README.md from its action.yml,
// between the `<!-- cutover:inputs -->` / `<!-- cutover:end -->` markers.
// --write updates the files; --check fails when one is stale (CI runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { actionNames, root } from "./actions.mjs";

import { cell, END, finish, mode, replaceSection } from "./generated-section.mjs";

const START = "<!-- cutover:inputs -->";

function tables(metadata) {
  const inputs = Object.entries(metadata.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? "yes" : "no"} | ${input.default === undefined ? "" : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
  );
  const outputs = Object.entries(metadata.outputs ?? {}).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`);
  return [
    START,
    "### Inputs",
    "",
    "| Input | Required | Default | Description |",
    "| --- | --- | --- | --- |",
    ...inputs,
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
for (const name of actionNames()) {
  const metadata = parse(readFileSync(join(root, "actions", name, "action.yml"), "utf8"));
  const readmePath = join(root, "actions", name, "README.md");
  let readme;
  try {
    readme = readFileSync(readmePath, "utf8");
  } catch {
    readme = `# ${name}\n\n${metadata.description}\n\n${START}\n${END}\n`;
  }
  const fresh = replaceSection(readme, START, tables(metadata), readmePath);
  if (fresh !== readme) {
    if (mode === "write") writeFileSync(readmePath, fresh);
    stale.push(name);
  }
}
finish(stale, { checked: "action READMEs match action.yml", stalePrefix: "README tables are stale for" });
