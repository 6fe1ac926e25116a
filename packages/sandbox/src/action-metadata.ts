import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { UnsupportedKeyError, WorkflowError } from "./workflow-error.js";

/** What the sandbox needs from an action.yml to run it as the runner would. */
export interface ActionDefinition {
  directory: string;
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  /** Absolute path of the entry point and, if any, of the post script. */
  main: string;
  post?: string;
  postIf?: string;
}

const NODE_RUNTIMES = new Set(["node16", "node20", "node24"]);

/** Reads `<directory>/action.yml` (or action.yaml); only JavaScript actions can run locally. */
export function readActionDefinition(directory: string, where: string): ActionDefinition {
  const file = ["action.yml", "action.yaml"].map((name) => join(directory, name)).find((path) => existsSync(path));
  if (!file) throw new WorkflowError(where, `no action.yml in ${directory}`);
  const metadata = (parse(readFileSync(file, "utf8")) ?? {}) as {
    name?: string;
    inputs?: ActionDefinition["inputs"];
    outputs?: ActionDefinition["outputs"];
    runs?: { using?: string; main?: string; post?: string; "post-if"?: string };
  };
  const using = String(metadata.runs?.using ?? "");
  if (!NODE_RUNTIMES.has(using)) {
    throw new UnsupportedKeyError(
      `${where} (runs.using)`,
      `'${using}' actions are not run by the local sandbox; it runs JavaScript actions (node20/node24)`,
    );
  }
  if (!metadata.runs?.main) throw new WorkflowError(where, `${file} has no runs.main`);
  const main = resolve(directory, metadata.runs.main);
  if (!existsSync(main)) throw new WorkflowError(where, `the action's entry point ${main} does not exist (is dist/ built?)`);
  return {
    directory,
    name: metadata.name ?? directory,
    inputs: metadata.inputs ?? {},
    outputs: metadata.outputs ?? {},
    main,
    ...(metadata.runs.post ? { post: resolve(directory, metadata.runs.post) } : {}),
    ...(metadata.runs["post-if"] ? { postIf: metadata.runs["post-if"] } : {}),
  };
}
