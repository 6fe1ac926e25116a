import type { GateFinding } from "@cutover/core";
import type { CheckResult } from "@cutover/http-checks";
import type { VerificationResult } from "./verify-switch.js";

/** The last answer of a verification in one line: `HTTP 200: header x-color green (expected blue)`. */
export function describeLastAnswer(verification: VerificationResult): string {
  const last = verification.last;
  if (!last) return "no response";
  if (last.error) return last.error;
  const failures = last.failures.map((f) => `${f.assertion} ${f.measured} (expected ${f.expected})`).join("; ");
  return `HTTP ${last.status}: ${failures}`;
}

/** A failed attempt in one line, for the log. */
export function describeAttempt(result: CheckResult): string {
  return result.error ?? result.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ");
}

/** Each assertion the last answer missed, with what was measured and expected, for the annotation. */
export function verificationFindings(verification: VerificationResult): GateFinding[] {
  const last = verification.last;
  const after = `after ${verification.attempts} request(s) in ${Math.round(verification.durationMs)}ms`;
  if (!last || last.failures.length === 0)
    return [{ subject: `verify (${after})`, measured: last?.error ?? "no response", expected: "an HTTP response" }];
  return last.failures.map((f) => ({ subject: `verify ${f.assertion} (${after})`, measured: f.measured, expected: f.expected }));
}
