// Output files: the file commands a step writes (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
// GITHUB_STEP_SUMMARY, GITHUB_STATE), created empty before it runs and read after it ends.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFileCommands, parsePathFile } from "@cutover/core";

export interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STEP_SUMMARY: string;
  GITHUB_STATE: string;
}

/** What a step left in its files. */
export interface StepFileResults {
  outputs: Record<string, string>;
  env: Record<string, string>;
  /** Directories to put before PATH for later steps, in the order they are searched. */
  path: string[];
  summary: string;
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** Creates a step's empty file-command files in the job's temp directory. */
export function createStepFiles(temp: string, index: string): StepFiles {
  const files = {
    GITHUB_OUTPUT: join(temp, `output-${index}`),
    GITHUB_ENV: join(temp, `env-${index}`),
    GITHUB_PATH: join(temp, `path-${index}`),
    GITHUB_STEP_SUMMARY: join(temp, `summary-${index}`),
    GITHUB_STATE: join(temp, `state-${index}`),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");
  return files;
}

/** Reads the files after the step, as the runner does. */
export function readStepFiles(files: StepFiles): StepFileResults {
  return {
    outputs: parseFileCommands(readIfExists(files.GITHUB_OUTPUT)),
    env: parseFileCommands(readIfExists(files.GITHUB_ENV)),
    path: parsePathFile(readIfExists(files.GITHUB_PATH)),
    summary: readIfExists(files.GITHUB_STEP_SUMMARY),
  };
}

/** What the main step saved for its post step (GITHUB_STATE), handed to it as STATE_* variables. */
export function readStepState(files: StepFiles): Record<string, string> {
  return parseFileCommands(readIfExists(files.GITHUB_STATE));
}
