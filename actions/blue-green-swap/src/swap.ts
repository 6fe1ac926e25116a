import { CancelledError, ConfigError, GateFailedError, type GateFinding } from "@cutover/core";
import type { Expect } from "@cutover/http-checks";
import { type Color, expectForColor, otherColor, type Router, RouterError, type VerificationResult, verifySwitch } from "@cutover/traffic";
import type { SwapOutcome } from "./outcome.js";

export interface SwapOptions {
  to: "idle" | Color;
  verifyUrl?: string;
  verifyExpect?: Expect;
  verifyTimeoutMs: number;
  revertOnFailure: boolean;
  signal: AbortSignal;
  log: (line: string) => void;
  /** A warning annotation (e.g. nginx may reset idle keep-alive clients at this reload). */
  warn: (line: string) => void;
}

/**
 * Switch, verify, and revert when verification fails or the run is cancelled during it.
 * Fills `outcome` as it goes so a failure still reports exactly where traffic is.
 */
export async function swap(router: Router, outcome: SwapOutcome, options: SwapOptions): Promise<void> {
  const { signal, log } = options;
  const previous = outcome.previous;
  const target = resolveTarget(options.to, previous, router);
  outcome.target = target;
  if (target === previous) {
    outcome.noop = true;
    log(`${target} is already active on ${router.describe()}: nothing to switch`);
    return;
  }

  log(`Switching ${router.describe()}: ${previous ?? "(none)"} → ${target}`);
  const started = performance.now();
  try {
    const result = await router.switchTo(target, { signal });
    outcome.switch = {
      durationMs: round(result.durationMs),
      changed: result.changed,
      steps: result.steps.map(roundStep),
      ...(result.warnings ? { warnings: result.warnings } : {}),
    };
    for (const warning of result.warnings ?? []) options.warn(warning);
    for (const step of result.steps)
      log(`  ${step.ok ? "✓" : "✗"} ${step.name}${step.command ? ` (${step.command})` : ""} in ${Math.round(step.durationMs)}ms`);
  } catch (error) {
    outcome.durationMs = round(performance.now() - started);
    throw asGate(error, target, previous);
  }
  outcome.active = target;
  outcome.switched = true;

  if (options.verifyUrl) {
    const expect = expectForColor(options.verifyExpect, target);
    log(`Verifying ${options.verifyUrl} shows ${target} (within ${options.verifyTimeoutMs}ms, 3 passes in a row)`);
    let verification: VerificationResult;
    try {
      verification = await verifySwitch({
        url: options.verifyUrl,
        expect,
        timeoutMs: options.verifyTimeoutMs,
        signal,
        onAttempt: (r, n) => {
          if (!r.ok)
            log(`  attempt ${n}: ${r.error ?? r.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ")}`);
        },
      });
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      // Cancelled before the new color was proven: undo rather than leave it unverified.
      const undone = await revert(router, outcome, previous, "the run was cancelled during verification", log, options.revertOnFailure);
      outcome.durationMs = round(performance.now() - started);
      throw new CancelledError(`${error.message} while verifying ${target}; ${undone}`);
    }
    outcome.verification = { ...verification, durationMs: round(verification.durationMs), ...(expect ? { expect } : {}) };
    if (!verification.ok) {
      const what = describeLast(verification);
      log(`✗ ${target} did not pass verification: ${what}`);
      const undone = await revert(router, outcome, previous, `verification failed: ${what}`, log, options.revertOnFailure);
      outcome.durationMs = round(performance.now() - started);
      throw new GateFailedError(`${target} failed verification at ${options.verifyUrl}; ${undone}`, findings(verification));
    }
    log(`✓ ${options.verifyUrl} shows ${target} (${verification.attempts} request(s), ${Math.round(verification.durationMs)}ms)`);
  }
  outcome.durationMs = round(performance.now() - started);
}

function resolveTarget(to: SwapOptions["to"], active: Color | undefined, router: Router): Color {
  if (to !== "idle") return to;
  if (active === undefined) {
    throw ConfigError.single({
      input: "to",
      path: "",
      given: '"idle"',
      expected: `blue or green: ${router.describe()} has no active color yet, so the first switch must name its color`,
    });
  }
  return otherColor(active);
}

/** Moves traffic back, never interrupted (that is the point of it). Returns a sentence for messages. */
async function revert(
  router: Router,
  outcome: SwapOutcome,
  previous: Color | undefined,
  reason: string,
  log: (line: string) => void,
  enabled: boolean,
): Promise<string> {
  const target = outcome.target as Color;
  if (!enabled) return `traffic was left on ${target} because revert-on-failure is false`;
  if (previous === undefined) return `traffic was left on ${target}: there was no previous color to go back to`;
  log(`Reverting to ${previous}: ${reason}`);
  const started = performance.now();
  try {
    await router.switchTo(previous);
    outcome.revert = { ok: true, durationMs: round(performance.now() - started), reason };
    outcome.active = previous;
    outcome.switched = false;
    outcome.reverted = true;
    log(`↩ traffic is back on ${previous}`);
    return `traffic was reverted to ${previous}`;
  } catch (error) {
    const message = (error as Error).message;
    outcome.revert = { ok: false, durationMs: round(performance.now() - started), reason, error: message };
    return `reverting to ${previous} FAILED (${message.split("\n")[0]}): traffic is still on ${target}`;
  }
}

function describeLast(verification: VerificationResult): string {
  const last = verification.last;
  if (!last) return "no response";
  if (last.error) return last.error;
  const failures = last.failures.map((f) => `${f.assertion} ${f.measured} (expected ${f.expected})`).join("; ");
  return `HTTP ${last.status}: ${failures}`;
}

function findings(verification: VerificationResult): GateFinding[] {
  const last = verification.last;
  const after = `after ${verification.attempts} request(s) in ${Math.round(verification.durationMs)}ms`;
  if (!last || last.failures.length === 0)
    return [{ subject: `verify (${after})`, measured: last?.error ?? "no response", expected: "an HTTP response" }];
  return last.failures.map((f) => ({ subject: `verify ${f.assertion} (${after})`, measured: f.measured, expected: f.expected }));
}

/** A router that refused the switch is a gate saying no; traffic stays where it was. */
function asGate(error: unknown, target: Color, previous: Color | undefined): unknown {
  if (!(error instanceof RouterError)) return error;
  const { details } = error;
  if (details.step === "ssh" || details.step === "restore") return error;
  const where = details.unchanged ? `traffic stays on ${previous ?? "no color"}` : "the router may be in an unknown state";
  const firstLine = error.message.split("\n")[0] ?? error.message;
  return new GateFailedError(`switch to ${target} failed: ${firstLine} (${where})`, [
    {
      subject: details.command ?? details.step,
      measured: `${details.exitCode === undefined ? "" : `exit ${details.exitCode}: `}${details.output ?? ""}`.trim(),
      expected: "exit 0",
    },
  ]);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function roundStep<T extends { durationMs: number }>(step: T): T {
  return { ...step, durationMs: round(step.durationMs) };
}
