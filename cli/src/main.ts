import { fileURLToPath } from "node:url";
import { validateFiles } from "./validate.js";

const USAGE = `usage: cutover validate [workflow.yml …]

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

process.exitCode = await main(process.argv.slice(2));
