// The runner boundary's side of the action protocol: workflow commands on stdout and file commands
// (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), written as @actions/core writes them. Our own
// rather than @actions/core's: its module graph (http-client and undici, for OIDC tokens no action
// asks for) doubled every step's start-up; the formats live in @cutover/core's action-protocol.ts.
import { appendFileSync, constants, existsSync, promises } from "node:fs";
import { EOL } from "node:os";
import { formatCommand, formatFileCommand } from "@cutover/core";

/** Where an annotation points and what it is called, as GitHub shows it on the run and the diff. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function issue(command: string, properties: Record<string, string | number | undefined>, data: string): void {
  process.stdout.write(formatCommand(command, properties, data) + EOL);
}

/** A line of the step's log. */
export function info(text: string): void {
  process.stdout.write(text + EOL);
}

/** A line shown only when step debug logging is on. */
export function debug(text: string): void {
  issue("debug", {}, text);
}

/** An error, warning or notice: an annotation when `annotation` says where, a log line otherwise. */
export function annotate(level: "error" | "warning" | "notice", text: string, annotation: AnnotationProperties = {}): void {
  const properties =
    Object.keys(annotation).length === 0
      ? {}
      : {
          title: annotation.title,
          file: annotation.file,
          line: annotation.startLine,
          endLine: annotation.endLine,
          col: annotation.startColumn,
          endColumn: annotation.endColumn,
        };
  issue(level, properties, text);
}

/** Folds what `body` logs under a title in the runner's log. */
export async function group<T>(title: string, body: () => Promise<T>): Promise<T> {
  issue("group", {}, title);
  try {
    return await body();
  } finally {
    issue("endgroup", {}, "");
  }
}

/** Asks the runner to mask a value in the log from now on. */
export function addMask(value: string): void {
  issue("add-mask", {}, value);
}

/** Appends `name` = `value` to a file command (OUTPUT or STATE), or the older stdout command without one. */
function setFileValue(file: "OUTPUT" | "STATE", legacyCommand: string, name: string, value: string): void {
  const path = process.env[`GITHUB_${file}`] || "";
  if (!path) {
    if (file === "OUTPUT") process.stdout.write(EOL);
    issue(legacyCommand, { name }, value);
    return;
  }
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  // node:crypto is loaded by the first output, not at start-up (a step that fails on its inputs sets none).
  const delimiter = `ghadelimiter_${process.getBuiltinModule("node:crypto").randomUUID()}`;
  appendFileSync(path, `${formatFileCommand(name, value, delimiter, EOL)}${EOL}`, { encoding: "utf8" });
}

/** Sets a step output. */
export function setOutput(name: string, value: string): void {
  setFileValue("OUTPUT", "set-output", name, value);
}

/** Keeps a value for the action's `post:` step (read back with `getState`). */
export function saveState(name: string, value: string): void {
  setFileValue("STATE", "save-state", name, value);
}

/** A value the main step saved with `saveState`, in the `post:` step; empty when none was saved. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || "";
}

/** Appends markdown and a newline to the step summary file (GITHUB_STEP_SUMMARY). */
export async function appendSummary(markdown: string): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) {
    throw new Error(
      "Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.",
    );
  }
  try {
    await promises.access(path, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
  }
  await promises.appendFile(path, markdown + EOL, { encoding: "utf8" });
}
