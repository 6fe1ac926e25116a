import { abortReason, CancelledError, GateFailedError } from "@cutover/core";
import type { Expect } from "@cutover/http-checks";
import type { Color } from "./color.js";
import { expectForColor } from "./expect-for-color.js";
import type { Router } from "./router.js";
import { RouterError } from "./router-error.js";
import type { SwitchRecord } from "./switch-record.js";
import { allTo, formatWeights, soleColor, type TrafficWeights } from "./traffic-weights.js";
import { describeAttempt, describeLastAnswer, verificationFindings } from "./verification-findings.js";
import { verifySwitch } from "./verify-switch.js";

export interface SwitchVerifyRevertOptions {
  target: Color;
  /**
   * Split traffic instead of moving all of it (a canary share): `target` is then the color the
   * split favours. Verification checks the URL answers as `expect` says, not which color answered.
   */
  weights?: TrafficWeights;
  /** The version the target should serve: fills `{version}` in the expect block and names the target in messages. */
  version?: string;
  /** The public URL that must show the target, and what it must answer; no verification without it. */
  verify?: { url: string; expect?: Expect | undefined; timeoutMs: number };
  /** Switch back to the previous color when verification fails (or the run is cancelled during it, with `onCancel: "revert"`). */
  revertOnFailure: boolean;
  /**
   * A cancel once traffic has moved: `revert` (a swap: an unproven color does not keep traffic)
   * or `finish` (a rollback: the target is the known-good side, so the switch is kept and
   * `record.cancelled` says what was skipped).
   */
  onCancel: "revert" | "finish";
  /** The target is already active: `skip` does nothing, `apply` still switches (rewriting a drifted config) and verifies. */
  whenActive: "skip" | "apply";
  signal: AbortSignal;
  log: (line: string) => void;
  /** A warning annotation (e.g. nginx may reset idle keep-alive clients at this reload). */
  warn?: (line: string) => void;
}

/**
 * Switches `router` to the target, verifies the public URL shows it, and reverts when it does
 * not. `record` (see newSwitchRecord) is filled as it goes. Throws GateFailedError when the
 * router refused the switch or the target failed verification, CancelledError on a cancel.
 */
export async function switchVerifyRevert(router: Router, record: SwitchRecord, options: SwitchVerifyRevertOptions): Promise<void> {
  const { signal, log, target } = options;
  const previous = record.previous;
  const label = options.version ? `${target} (${options.version})` : target;
  record.target = target;
  const split = options.weights && !soleColor(options.weights) ? options.weights : undefined;
  if (target === previous && options.whenActive === "skip" && !split && !isSplit(record.previousWeights)) {
    record.noop = true;
    log(`${target} is already active on ${router.describe()}: nothing to switch`);
    return;
  }

  log(`Switching ${router.describe()}: ${describeShares(previous, record.previousWeights)} → ${split ? formatWeights(split) : target}`);
  const started = performance.now();
  const finish = () => {
    record.durationMs = round(performance.now() - started);
  };
  try {
    const result = split ? await router.setWeights(split, { signal }) : await router.switchTo(target, { signal });
    record.weights = result.weights ?? split ?? allTo(target);
    record.switch = {
      at: new Date().toISOString(),
      durationMs: round(result.durationMs),
      changed: result.changed,
      steps: result.steps.map(roundStep),
      ...(result.warnings ? { warnings: result.warnings } : {}),
    };
    for (const warning of result.warnings ?? []) options.warn?.(warning);
    for (const step of result.steps)
      log(`  ${step.ok ? "✓" : "✗"} ${step.name}${step.command ? ` (${step.command})` : ""} in ${Math.round(step.durationMs)}ms`);
  } catch (error) {
    finish();
    throw asGate(error, target, previous);
  }
  record.active = target;
  record.switched = true;

  if (options.onCancel === "finish" && signal.aborted) {
    record.cancelled = `${abortReason(signal).message} during the switch to ${target}: the switch was finished, verification skipped`;
    return finish();
  }
  const verify = options.verify;
  if (!verify) return finish();

  // With traffic split, any color may answer: only what does not name a color is checked.
  const expect = split
    ? withoutColorChecks(verify.expect)
    : expectForColor(verify.expect, target, options.version ? { version: options.version } : {});
  log(`Verifying ${verify.url} shows ${label} (within ${verify.timeoutMs}ms, 3 passes in a row)`);
  let verification: Awaited<ReturnType<typeof verifySwitch>>;
  try {
    verification = await verifySwitch({
      url: verify.url,
      expect,
      timeoutMs: verify.timeoutMs,
      signal,
      onAttempt: (r, n) => {
        if (!r.ok) log(`  attempt ${n}: ${describeAttempt(r)}`);
      },
    });
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    if (options.onCancel === "finish") {
      record.cancelled = `${error.message} while verifying ${target}: traffic stays on ${target}, verification was cut short`;
      return finish();
    }
    // Cancelled before the new color was proven: undo rather than leave it unverified.
    const undone = await revertSwitch(router, record, "the run was cancelled during verification", options);
    finish();
    throw new CancelledError(`${error.message} while verifying ${target}; ${undone}`);
  }
  record.verification = { ...verification, durationMs: round(verification.durationMs), ...(expect ? { expect } : {}) };
  if (!verification.ok) {
    const what = describeLastAnswer(verification);
    log(`✗ ${label} did not pass verification: ${what}`);
    const undone = await revertSwitch(router, record, `verification failed: ${what}`, options);
    finish();
    throw new GateFailedError(`${label} failed verification at ${verify.url} (${what}); ${undone}`, verificationFindings(verification));
  }
  log(`✓ ${verify.url} shows ${label} (${verification.attempts} request(s), ${Math.round(verification.durationMs)}ms)`);
  finish();
}

/**
 * Moves traffic back to the shares it had before the switch (`record.previousWeights`), never
 * interrupted (that is the point of it). Returns a sentence for messages.
 */
export async function revertSwitch(
  router: Router,
  record: SwitchRecord,
  reason: string,
  options: Pick<SwitchVerifyRevertOptions, "target" | "log" | "revertOnFailure">,
): Promise<string> {
  const { target, log } = options;
  const previous = record.previous;
  if (!options.revertOnFailure) return `traffic was left on ${target} because revert-on-failure is false`;
  if (previous === undefined) return `traffic was left on ${target}: there was no previous color to go back to`;
  if (previous === target) return `traffic stays on ${target} (it was already there)`;
  log(`Reverting to ${previous}: ${reason}`);
  const started = performance.now();
  try {
    // Back to the shares it had: all traffic on one color, or the split a stepped rollout left.
    const before = record.previousWeights;
    if (before && isSplit(before)) await router.setWeights(before);
    else await router.switchTo(previous);
    record.weights = before ?? allTo(previous);
    record.revert = { at: new Date().toISOString(), ok: true, durationMs: round(performance.now() - started), reason };
    record.active = previous;
    record.switched = false;
    record.reverted = true;
    log(`↩ traffic is back on ${previous}`);
    return `traffic was reverted to ${previous}`;
  } catch (error) {
    const message = (error as Error).message;
    record.revert = { at: new Date().toISOString(), ok: false, durationMs: round(performance.now() - started), reason, error: message };
    return `reverting to ${previous} FAILED (${message.split("\n")[0]}): traffic is still on ${target}`;
  }
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

function isSplit(weights: TrafficWeights | undefined): boolean {
  return weights !== undefined && soleColor(weights) === undefined;
}

function describeShares(color: Color | undefined, weights: TrafficWeights | undefined): string {
  return weights && isSplit(weights) ? formatWeights(weights) : (color ?? "(none)");
}

/** An expect block without the checks that would hold only for one color (`{color}` anywhere). */
function withoutColorChecks(expect: Expect | undefined): Expect | undefined {
  if (!expect) return undefined;
  const kept = Object.entries(expect).filter(([, value]) => !JSON.stringify(value ?? "").includes("{color}"));
  return Object.fromEntries(kept) as Expect;
}
