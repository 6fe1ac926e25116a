// Generates the inputs/outputs tables of each actions/<name>/README.md from its action.yml,
// between the `<!-- cutover:inputs -->` / `<!-- cutover:end -->` markers.
// --write updates the files; --check fails when one is stale (CI runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { actionNames, root } from "./actions.mjs";

const START = "<!-- cutover:inputs -->";
const END = "<!-- cutover:end -->";
const mode = process.argv.includes("--check") ? "check" : "write";

const cell = (text) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ")
    .trim();

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
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) {
    console.error(`${readmePath} has no ${START} … ${END} markers`);
    process.exit(1);
  }
  const fresh = readme.slice(0, start) + tables(metadata) + readme.slice(end + END.length);
  if (fresh !== readme) {
    if (mode === "write") writeFileSync(readmePath, fresh);
    stale.push(name);
  }
}
if (mode === "check" && stale.length > 0) {
  console.error(`README tables are stale for: ${stale.join(", ")}; run 'npm run docs' and commit.`);
  process.exit(1);
}
console.log(mode === "write" ? `updated: ${stale.join(", ") || "nothing"}` : "action READMEs match action.yml");
