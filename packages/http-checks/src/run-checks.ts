import { abortReason, backoffDelay, CancelledError, sleep } from "@cutover/core";
import { type AssertionFailure, evaluateExpect } from "./assertions.js";
import { type HttpClient, HttpTransportError } from "./http-client.js";
import { mapConcurrent } from "./map-concurrent.js";
import type { ResolvedCheck } from "./resolve-checks.js";

/** The outcome of one attempt: a response that was judged, or no response at all. */
export interface AttemptResult {
  attempt: number;
  status?: number;
  latencyMs?: number;
  error?: string;
  failures: AssertionFailure[];
}

/** The outcome of one check after all its attempts. */
export interface CheckResult {
  name: string;
  url: string;
  method: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  attempts: number;
  /** Why the last attempt failed; empty when the check passed. */
  failures: AssertionFailure[];
  error?: string;
  certificateDaysLeft?: number;
}

export interface RunChecksOptions {
  client: HttpClient;
  concurrency: number;
  retryDelayMs: number;
  signal?: AbortSignal;
  minCertificateDays?: number;
  /** Called before each retry with the reason, so the action can log it. */
  onRetry?: (check: ResolvedCheck, attempt: AttemptResult, delayMs: number) => void;
}

/** Runs every check (concurrently, each with its own retries) and returns all results. */
export function runChecks(checks: readonly ResolvedCheck[], options: RunChecksOptions): Promise<CheckResult[]> {
  return mapConcurrent(checks, options.concurrency, (check) => runCheck(check, options));
}

/** One check: retried on transport errors, timeouts, 5xx and failed assertions. */
export async function runCheck(check: ResolvedCheck, options: RunChecksOptions): Promise<CheckResult> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const result = await attemptCheck(check, attempt, options);
    if (result.ok || attempt > check.retries) return result;
    const delay = backoffDelay(attempt, { retries: check.retries, initialDelayMs: options.retryDelayMs, maxDelayMs: 30_000 });
    options.onRetry?.(check, { attempt, failures: result.failures, ...pick(result) }, delay);
    await sleep(delay, options.signal);
  }
}

function pick(result: CheckResult) {
  return {
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.latencyMs === undefined ? {} : { latencyMs: result.latencyMs }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

async function attemptCheck(check: ResolvedCheck, attempt: number, options: RunChecksOptions): Promise<CheckResult> {
  const base = { name: check.name, url: check.url, method: check.method, attempts: attempt };
  try {
    const response = await options.client.request({
      url: check.url,
      method: check.method,
      headers: check.headers,
      ...(check.body === undefined ? {} : { body: check.body }),
      timeoutMs: check.timeoutMs,
      followRedirects: check.followRedirects,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const failures = evaluateExpect(check.expect, response);
    const minDays = options.minCertificateDays;
    if (minDays !== undefined && response.certificateDaysLeft !== undefined && response.certificateDaysLeft < minDays) {
      failures.push({
        assertion: "tls-min-days",
        measured: `certificate expires in ${Math.floor(response.certificateDaysLeft)} days`,
        expected: `at least ${minDays} days`,
      });
    }
    return {
      ...base,
      ok: failures.length === 0,
      status: response.status,
      latencyMs: Math.round(response.latencyMs * 10) / 10,
      failures,
      ...(response.certificateDaysLeft === undefined ? {} : { certificateDaysLeft: Math.floor(response.certificateDaysLeft) }),
    };
  } catch (error) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (error instanceof CancelledError) throw error;
    if (!(error instanceof HttpTransportError)) throw error;
    return {
      ...base,
      ok: false,
      error: error.message,
      failures: [{ assertion: "response", measured: error.message, expected: "an HTTP response" }],
    };
  }
}
