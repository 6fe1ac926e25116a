import {
  type CancelledError,
  type ConfigError,
  cancellationSignal,
  failureKind,
  formatConfigIssue,
  type GateFailedError,
  type GitHubContext,
  Redactor,
} from "@cutover/core";
import type { z } from "zod";
import type { ActionInputs, ActionSpec } from "./action-spec.js";
import { readGitHubContext } from "./github-context.js";
import { actionsLogger, type Logger } from "./logger.js";
import { preloadInputs } from "./preload-inputs.js";
import { readInputs } from "./read-inputs.js";
import { annotate, debug, info } from "./workflow-commands.js";

/** Everything an action gets from the runner besides its inputs; actions read nothing else from the process. */
export interface ActionContext {
  /** Aborts when the runner cancels the job (SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** Scrubs every secret read so far from a text before it leaves the process. */
  redactor: Redactor;
  /** The step's log; messages are redacted. */
  log: Logger;
  /** The run this step belongs to: repository, sha, ref, run id and attempt (`runUrl` links to it). */
  github: GitHubContext;
  /** RUNNER_TEMP: a directory emptied after each job; undefined outside a runner. */
  tempDir: string | undefined;
  /** GITHUB_WORKSPACE, where the repository is checked out (the working directory outside a runner). */
  workspace: string;
}

/**
 * The one top-level handler of an action: reads inputs, runs the body, and turns whatever it
 * throws into a single failure that names the action and says which kind of failure it was.
 */
export async function runAction<Shape extends Record<string, z.ZodType>>(
  spec: ActionSpec<Shape>,
  body: (inputs: ActionInputs<Shape>, context: ActionContext) => Promise<void>,
): Promise<void> {
  const redactor = new Redactor();
  const cancellation = cancellationSignal(process, (name) => info(`${spec.name}: received ${name}, stopping and cleaning up`));
  try {
    const env = process.env;
    await preloadInputs(spec, env);
    const inputs = readInputs(spec, redactor, env);
    await body(inputs, {
      signal: cancellation.signal,
      redactor,
      log: actionsLogger(redactor),
      github: readGitHubContext(env),
      tempDir: env.RUNNER_TEMP || undefined,
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
    });
  } catch (error) {
    reportFailure(spec.name, error, redactor);
  } finally {
    cancellation.dispose();
  }
}

/** Raises exactly one error annotation and marks the step failed. */
export function reportFailure(action: string, error: unknown, redactor: Redactor): void {
  const kind = failureKind(error);
  const { title, message } = describeFailure(action, kind, error);
  annotate("error", redactor.redact(message), { title: redactor.redact(title) });
  if (kind === "unexpected" && error instanceof Error && error.stack) {
    debug(redactor.redact(error.stack));
  }
  process.exitCode = 1;
}

/**
 * The annotation's title says what happened; its message adds only what the title does not say,
 * because the runner shows both together (a message repeating the title reads twice).
 */
function describeFailure(action: string, kind: ReturnType<typeof failureKind>, error: unknown) {
  switch (kind) {
    case "config": {
      const issues = (error as ConfigError).issues;
      const noun = issues.length === 1 ? "invalid input" : `${issues.length} invalid inputs`;
      return { title: `${action}: ${noun}`, message: `nothing was changed\n${issues.map(formatConfigIssue).join("\n")}` };
    }
    case "gate": {
      const { summary, message } = error as GateFailedError;
      const details = message.startsWith(summary) ? message.slice(summary.length).trim() : message;
      return { title: `${action}: ${summary}`, message: details || summary };
    }
    case "cancelled":
      return { title: `${action}: cancelled`, message: (error as CancelledError).message };
    default:
      return { title: `${action}: unexpected error`, message: error instanceof Error ? error.message : String(error) };
  }
}
