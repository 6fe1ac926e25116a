import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type Annotation, inputVariable, parseFileCommands, parseWorkflowCommands } from "@cutover/core";
import { reportKeys } from "@cutover/runner";
import { readActionMetadata, repoRoot } from "./action-metadata.js";

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout without workflow commands: what a person reads in the log. */
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  masks: string[];
  durationMs: number;
}

export interface RunOptions {
  /** Extra environment (GITHUB_* context, PATH additions). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the action after this long (a test safety net, not the action's own timeout). */
  killAfterMs?: number;
  /** `post` runs action.yml's `runs.post` script instead of main, as the runner does after the job's steps. */
  phase?: "main" | "post";
  /** What the main step saved (its `state`): the runner hands it to the post step as `STATE_<name>`. */
  state?: Record<string, string>;
}

export interface RunningAction {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when stdout contains `text`, so a test can act at a precise moment. */
  waitForLog(text: string | RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<ActionRun>;
}

/**
 * Starts `node dist/<name>/index.js` the way the GitHub runner does: action.yml defaults
 * applied to unset inputs, `INPUT_*` variables, and real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
 * GITHUB_STATE files that are parsed when it exits.
 */
export function startAction(action: string, inputs: Record<string, string>, options: RunOptions = {}): RunningAction {
  const metadata = readActionMetadata(action);
  const unknown = Object.keys(inputs).filter((name) => !(name in metadata.inputs));
  if (unknown.length > 0) throw new Error(`${action} has no input(s) ${unknown.join(", ")} in action.yml`);

  const dir = mkdtempSync(join(tmpdir(), `cutover-${action}-`));
  const files = {
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    GITHUB_STATE: join(dir, "state"),
    GITHUB_ENV: join(dir, "env"),
    GITHUB_PATH: join(dir, "path"),
  };
  for (const file of Object.values(files)) writeFileSync(file, "");

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: "true",
    ...files,
    ...options.env,
  };
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const value = inputs[name] ?? spec.default;
    if (value !== undefined) env[inputVariable(name)] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  let script = join(repoRoot, "dist", action, "index.js");
  if (options.phase === "post") {
    if (!metadata.runs.post) throw new Error(`${action} has no runs.post in action.yml`);
    script = resolve(repoRoot, "actions", action, metadata.runs.post);
  }
  const started = performance.now();
  const child = spawn(process.execPath, [script], { cwd: options.cwd ?? repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: string | RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const hit = typeof waiter.pattern === "string" ? stdout.includes(waiter.pattern) : waiter.pattern.test(stdout);
      if (hit) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const killTimer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 120_000);

  const done = new Promise<ActionRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(killTimer);
      try {
        const commands = parseWorkflowCommands(stdout);
        const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, "utf8"));
        assertReportSpelling(action, outputs.report);
        resolve({
          exitCode,
          signal,
          stdout,
          stderr,
          log: commands.log.join("\n"),
          outputs,
          state: parseFileCommands(readFileSync(files.GITHUB_STATE, "utf8")),
          summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
          annotations: commands.annotations,
          masks: commands.masks,
          durationMs: performance.now() - started,
        });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  return {
    pid: child.pid as number,
    kill: (signal) => child.kill(signal),
    waitForLog: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (typeof pattern === "string" ? stdout.includes(pattern) : pattern.test(stdout)) return resolve();
        const timer = setTimeout(() => reject(new Error(`log never showed ${String(pattern)}; got:\n${stdout}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    done,
  };
}

/** Every run in the suite holds its `report` to docs/naming.md: keys in kebab-case, as the outputs are named. */
function assertReportSpelling(action: string, report: string | undefined): void {
  if (report === undefined || report === "") return;
  const parsed: unknown = JSON.parse(report);
  if (!isDeepStrictEqual(reportKeys(parsed), parsed)) {
    throw new Error(`${action}'s report has keys that are not kebab-case (docs/naming.md): ${report.slice(0, 400)}`);
  }
}

/** Runs an action's `post:` step with the state its main step saved, as the runner does at the end of the job. */
export function runActionPost(
  action: string,
  inputs: Record<string, string>,
  state: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  return startAction(action, inputs, { ...options, phase: "post", state }).done;
}

/** Runs an action bundle to completion. */
export function runAction(action: string, inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  return startAction(action, inputs, options).done;
}

/** Everything a secret must never appear in: log (minus the runner's own add-mask commands), outputs, summary. */
export function visibleText(run: ActionRun): string {
  return [run.log, run.stderr, JSON.stringify(run.outputs), run.summary, JSON.stringify(run.annotations)].join("\n");
}

/** An annotation as the runner shows it: its title, then its message (which adds only what the title does not say). */
export function shown(annotation: Annotation | undefined): string {
  if (!annotation) return "";
  return annotation.properties.title ? `${annotation.properties.title}\n${annotation.message}` : annotation.message;
}
