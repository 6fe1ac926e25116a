// The process protocol: one step process run as the runner runs it — its stdout read line by
// line for workflow commands (::add-mask::, annotations, ::debug::, groups, ::stop-commands::),
// stopped the way the runner stops a step, and its end turned into the step's outcome.
import { type Annotation, formatDuration, parseCommandLine, type Redactor, runProcess } from "@cutover/core";
import type { StepOutcome, StepResult } from "./run-result.js";

export interface StepProcess {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The step's timeout-minutes. */
  timeoutMs: number | undefined;
  /** Cancellation of the run and the job's timeout; a step started after a cancellation gets none. */
  signals: AbortSignal[];
  /** SIGINT → SIGTERM grace; the runner waits 7.5 s. */
  killGraceMs: number;
}

export interface StepProcessLog {
  redactor: Redactor;
  /** Prints a line of the sandbox's own output (masked by the caller). */
  emit: (line: string) => void;
  showStepLogs: boolean;
  debug: boolean;
}

/** How the step process ended (its error, if any, is set on the step result). */
export interface StepProcessEnd {
  outcome: StepOutcome;
  /** The process group the step ran in: the job's end cleans it up (background children). */
  processGroup: number | undefined;
}

/**
 * Runs one step process, acting on workflow commands as they are printed; its log lines and
 * annotations go into `result`. `jobTimedOut` tells a stop by the job's timeout from a cancel.
 */
export async function runStepProcess(
  step: StepProcess,
  output: StepProcessLog,
  result: StepResult,
  jobTimedOut: () => boolean,
): Promise<StepProcessEnd> {
  let stopToken: string | undefined;
  const { redactor, emit } = output;
  const log = (text: string) => {
    result.log.push(redactor.redact(text));
    if (output.showStepLogs) emit(`  ${text}`);
  };
  const annotate = (annotation: Annotation) => {
    result.annotations.push({ ...annotation, message: redactor.redact(annotation.message) });
    const level = annotation.level[0]?.toUpperCase() + annotation.level.slice(1);
    const title = annotation.properties.title ? `${annotation.properties.title}: ` : "";
    emit(`  ${level}: ${title}${annotation.message}`);
  };
  // Stopped the way the runner stops a step: SIGINT, SIGTERM after the grace, then SIGKILL.
  const processResult = await runProcess(step.command, step.args, {
    cwd: step.cwd,
    env: step.env,
    inheritEnv: false,
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
    ...(step.signals.length > 0 ? { signal: AbortSignal.any(step.signals) } : {}),
    interruptGraceMs: step.killGraceMs,
    killGraceMs: 2_500,
    onLine: (line, stream) => {
      if (stream === "stderr") return log(line);
      if (stopToken !== undefined) {
        if (line === `::${stopToken}::`) stopToken = undefined;
        else log(line);
        return;
      }
      const parsed = parseCommandLine(line);
      switch (parsed.kind) {
        case "add-mask":
          redactor.add(parsed.value);
          return;
        case "annotation":
          return annotate(parsed.annotation);
        case "debug":
          if (output.debug) log(`##[debug]${parsed.text}`);
          return;
        case "group":
          return log(`▸ ${parsed.title}`);
        case "endgroup":
          return;
        case "stop-commands":
          stopToken = parsed.token;
          return;
        default:
          return log(parsed.text);
      }
    },
  });
  const end = (outcome: StepOutcome, error?: string): StepProcessEnd => {
    if (error) result.error = error;
    return { outcome, processGroup: processResult.processGroup };
  };
  if (processResult.timedOut) return end("failure", `exceeded timeout-minutes (${formatDuration(step.timeoutMs ?? 0)})`);
  if (processResult.cancelled) {
    return jobTimedOut()
      ? end("failure", "stopped: the job exceeded its timeout-minutes")
      : end("cancelled", "stopped: the run was cancelled");
  }
  if (processResult.exitCode !== 0) {
    return end("failure", processResult.signal ? `killed by ${processResult.signal}` : `exit code ${processResult.exitCode}`);
  }
  return end("success");
}
