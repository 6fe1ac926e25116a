import { sleep } from "@cutover/core";
import { type AssertionFailure, type CheckResult, type Expect, HttpClient, resolveCheck, runCheck } from "@cutover/http-checks";

/** Passes in a row the new color must give: one lucky answer from a draining old worker is not proof. */
export const CONSECUTIVE_PASSES = 3;
const INTERVAL_MS = 200;
const MAX_REQUEST_MS = 5_000;

export interface VerificationResult {
  url: string;
  ok: boolean;
  attempts: number;
  durationMs: number;
  /** The last response (or transport error) seen, with what did not match. */
  last?: { status?: number; latencyMs?: number; error?: string; failures: AssertionFailure[] };
}

export interface VerifyOptions {
  url: string;
  expect: Expect | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  onAttempt?: (result: CheckResult, attempt: number) => void;
}

/**
 * Polls the public URL until it answers as expected CONSECUTIVE_PASSES times in a row, or
 * the timeout passes. Each request uses a fresh connection so it lands on the current config.
 */
export async function verifySwitch(options: VerifyOptions): Promise<VerificationResult> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  let attempts = 0;
  let passes = 0;
  let last: VerificationResult["last"];
  for (;;) {
    attempts++;
    const remaining = Math.max(1, deadline - performance.now());
    const check = resolveCheck({ method: "GET", url: options.url, ...(options.expect ? { expect: options.expect } : {}) }, options.url, {
      timeoutMs: Math.min(MAX_REQUEST_MS, remaining),
      retries: 0,
      headers: { "cache-control": "no-cache" },
      followRedirects: true,
    });
    const client = new HttpClient({ maxSockets: 1 });
    let result: CheckResult;
    try {
      result = await runCheck(check, { client, concurrency: 1, retryDelayMs: 0, signal: options.signal });
    } finally {
      client.close();
    }
    options.onAttempt?.(result, attempts);
    last = {
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.latencyMs === undefined ? {} : { latencyMs: result.latencyMs }),
      ...(result.error === undefined ? {} : { error: result.error }),
      failures: result.failures,
    };
    passes = result.ok ? passes + 1 : 0;
    if (passes >= CONSECUTIVE_PASSES) {
      return { url: options.url, ok: true, attempts, durationMs: performance.now() - started, last };
    }
    if (performance.now() + INTERVAL_MS >= deadline) {
      return { url: options.url, ok: false, attempts, durationMs: performance.now() - started, last };
    }
    await sleep(INTERVAL_MS, options.signal);
  }
}
