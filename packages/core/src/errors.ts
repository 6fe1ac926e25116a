/** Base of every error cutover raises on purpose; anything else is an unexpected error. */
export class CutoverError extends Error {
  override name = "CutoverError";
}

/** One problem with one input: which input, where inside it, what was given, what is expected. */
export interface ConfigIssue {
  input: string;
  /** Path inside a structured input, e.g. `[0].expect.status`; empty for the input as a whole. */
  path: string;
  /** The offending value, already rendered and redacted; undefined when the value was missing. */
  given?: string;
  expected: string;
}

/** Bad configuration: raised before anything changes. */
export class ConfigError extends CutoverError {
  override name = "ConfigError";
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join("\n"));
  }

  static single(issue: ConfigIssue): ConfigError {
    return new ConfigError([issue]);
  }
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.path ? `input '${issue.input}' at ${issue.path}` : `input '${issue.input}'`;
  const given = issue.given === undefined ? "nothing was given" : `got ${issue.given}`;
  return `${where}: ${given}; expected ${issue.expected}`;
}

/** One measured value held against its threshold. */
export interface GateFinding {
  subject: string;
  measured: string;
  expected: string;
}

/** A gate that said no: carries every measured value with the threshold it missed. */
export class GateFailedError extends CutoverError {
  override name = "GateFailedError";
  constructor(
    readonly summary: string,
    readonly findings: GateFinding[] = [],
  ) {
    super(
      findings.length === 0
        ? summary
        : `${summary}\n${findings.map((f) => `- ${f.subject}: measured ${f.measured}, expected ${f.expected}`).join("\n")}`,
    );
  }
}

/** The run was cancelled (SIGINT/SIGTERM from the runner) or hit its deadline. */
export class CancelledError extends CutoverError {
  override name = "CancelledError";
}

/** Where an error belongs among the three kinds the runner boundary reports. */
export type FailureKind = "config" | "gate" | "cancelled" | "unexpected";

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ConfigError) return "config";
  if (error instanceof GateFailedError) return "gate";
  if (error instanceof CancelledError) return "cancelled";
  return "unexpected";
}
