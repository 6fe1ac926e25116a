import { fileURLToPath } from "node:url";
import { parseRunArgs, runCommand } from "./run.js";
import { validateFiles } from "./validate.js";

const USAGE = `usage: cutover validate [workflow.yml …]
       cutover run <workflow.yml> [--event E] [--job J] [--workspace DIR] [--input K=V]… [--secret K=V]… [--secret-file F] [--var K=V]… [--var-file F]

  run: runs your workflow locally with cutover's sandbox, from your repository's root (the
  workspace; --workspace DIR names another): <owner>/cutover/… references run this checkout's actions and workflows, reusable
  workflow calls run with their inputs, secrets and outputs, actions/checkout is the workspace.
  Exit status 1 when the run fails.

  validate:
  Checks every call of cutover's deploy.yml / rollback.yml and every step using a cutover action
  in your workflows (default: .github/workflows/*.yml), with the schemas the workflow's preflight
  and each action use. Nothing is run and nothing is contacted. Exit status 1 when a problem is found.`;

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

// The input readers mask secrets the way the runner expects (::add-mask::); off a runner that is noise.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  typeof chunk === "string" && chunk.startsWith("::add-mask::") ? true : write(chunk, ...rest)) as typeof process.stdout.write;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "run") {
    const result = await runCommand(parseRunArgs(rest, process.cwd()), { cwd: process.cwd(), repoRoot });
    return result.conclusion === "success" ? 0 : 1;
  }
  if (command !== "validate") {
    console.error(`cutover: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  const results = await validateFiles(rest, { cwd: process.cwd(), repoRoot });
  if (results.length === 0) {
    console.error("cutover validate: no workflow files given and none in .github/workflows");
    return 2;
  }
  let problems = 0;
  for (const result of results) {
    if (result.problems.length === 0) {
      console.log(`✓ ${result.file}: ${result.checked} use(s) of cutover checked`);
      continue;
    }
    problems += result.problems.length;
    console.log(`✗ ${result.file}`);
    for (const { where, problem } of result.problems) console.log(`    ${where}: ${problem}`);
  }
  return problems > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A usage or workflow error: its message says what to change; a stack trace would bury it.
  console.error(`cutover: ${(error as Error).message}`);
  process.exitCode = 2;
}
