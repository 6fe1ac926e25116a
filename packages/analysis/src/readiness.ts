import { abortReason, CancelledError, formatDuration, sleep } from "@cutover/core";
import { type AssertionFailure, type Expect, evaluateExpect, type HttpClient, HttpTransportError } from "@cutover/http-checks";

export interface ReadinessOptions {
  url: string;
  expect?: Expect;
  headers?: Record<string, string>;
  client: HttpClient;
  intervalMs: number;
  /** Overall deadline for becoming healthy, from the first probe. */
  timeoutMs: number;
  requestTimeoutMs: number;
  /** Consecutive passing probes that make the endpoint healthy. */
  healthyThreshold: number;
  /** Consecutive failing probes, once the endpoint has answered at all, that fail at once. */
  unhealthyThreshold: number;
  signal?: AbortSignal;
  onProbe?: (probe: ReadinessProbe, state: ReadinessState) => void;
}

/** One probe: an answer that was judged, or no answer (refused, reset, timed out). */
export interface ReadinessProbe {
  n: number;
  /** Milliseconds since polling began. */
  atMs: number;
  ok: boolean;
  /** Whether the endpoint answered with any HTTP response. */
  answered: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
  failures: AssertionFailure[];
}

export interface ReadinessState {
  passesInARow: number;
  failuresInARow: number;
  firstAnswerMs?: number;
  firstPassMs?: number;
}

/** How polling ended: healthy, failed on the unhealthy threshold, or out of time. */
export type ReadinessOutcome = "healthy" | "unhealthy" | "deadline";

export interface ReadinessResult extends ReadinessState {
  url: string;
  outcome: ReadinessOutcome;
  healthy: boolean;
  /** From the first probe until the healthy threshold was reached. */
  timeToHealthyMs?: number;
  elapsedMs: number;
  probes: ReadinessProbe[];
  /** One sentence saying why polling ended, with the measured values. */
  message: string;
}

/**
 * Polls `url` until `healthyThreshold` probes pass in a row, `unhealthyThreshold` fail in a row
 * after the first answer, or the deadline passes. Refused connections while the service starts
 * only spend the deadline. Throws CancelledError as soon as `signal` aborts.
 */
export async function pollReadiness(options: ReadinessOptions): Promise<ReadinessResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const probes: ReadinessProbe[] = [];
  const state: ReadinessState = { passesInARow: 0, failuresInARow: 0 };
  const finish = (outcome: ReadinessOutcome, message: string): ReadinessResult => ({
    url: options.url,
    outcome,
    healthy: outcome === "healthy",
    ...state,
    ...(outcome === "healthy" ? { timeToHealthyMs: Math.round(elapsed()) } : {}),
    elapsedMs: Math.round(elapsed()),
    probes,
    message,
  });

  for (let n = 1; ; n++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const remaining = options.timeoutMs - elapsed();
    if (remaining <= 0) return finish("deadline", deadlineMessage(options, probes, state));
    const probe = await probeOnce(
      options,
      n,
      Math.round(elapsed()),
      Math.max(1, Math.round(Math.min(options.requestTimeoutMs, remaining))),
    );
    probes.push(probe);
    if (probe.answered && state.firstAnswerMs === undefined) state.firstAnswerMs = probe.atMs;
    if (probe.ok) {
      state.firstPassMs ??= probe.atMs;
      state.passesInARow++;
      state.failuresInARow = 0;
    } else {
      state.passesInARow = 0;
      // Before the first answer the service is still starting: only the deadline counts.
      if (state.firstAnswerMs !== undefined) state.failuresInARow++;
    }
    options.onProbe?.(probe, { ...state });
    if (state.passesInARow >= options.healthyThreshold) {
      return finish("healthy", `${options.healthyThreshold} probe(s) in a row passed after ${n} probe(s)`);
    }
    if (state.failuresInARow >= options.unhealthyThreshold) {
      return finish(
        "unhealthy",
        `${state.failuresInARow} probes in a row failed after the endpoint had answered; last: ${describeProbe(probe)}`,
      );
    }
    const left = options.timeoutMs - elapsed();
    if (left <= 0) return finish("deadline", deadlineMessage(options, probes, state));
    await sleep(Math.min(options.intervalMs, left), options.signal);
  }
}

async function probeOnce(options: ReadinessOptions, n: number, atMs: number, timeoutMs: number): Promise<ReadinessProbe> {
  try {
    const response = await options.client.request({
      url: options.url,
      method: "GET",
      headers: options.headers ?? {},
      timeoutMs,
      followRedirects: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const failures = evaluateExpect(options.expect, response);
    return {
      n,
      atMs,
      ok: failures.length === 0,
      answered: true,
      status: response.status,
      latencyMs: Math.round(response.latencyMs * 10) / 10,
      failures,
    };
  } catch (error) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (error instanceof CancelledError || !(error instanceof HttpTransportError)) throw error;
    return {
      n,
      atMs,
      ok: false,
      answered: false,
      error: error.message,
      failures: [{ assertion: "response", measured: error.message, expected: "an HTTP response" }],
    };
  }
}

/** A probe in a few words: `503 in 12ms (status: 503, expected 2xx)` or the transport error. */
export function describeProbe(probe: ReadinessProbe): string {
  if (!probe.answered) return probe.error ?? "no answer";
  const why = probe.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ");
  return `${probe.status} in ${probe.latencyMs}ms${why ? ` (${why})` : ""}`;
}

function deadlineMessage(options: ReadinessOptions, probes: readonly ReadinessProbe[], state: ReadinessState): string {
  const seconds = formatDuration(options.timeoutMs);
  const last = probes.at(-1);
  if (state.firstAnswerMs === undefined) {
    return `${options.url} never answered within the ${seconds} timeout (${probes.length} probe(s); last: ${last ? describeProbe(last) : "none"})`;
  }
  // The last probe may have been cut short by the deadline itself; the last answer says why.
  const lastAnswer = probes.findLast((probe) => probe.answered);
  const cut = last && !last.answered && lastAnswer ? `; last answer: ${describeProbe(lastAnswer)}` : "";
  return `${options.url} was not healthy within the ${seconds} timeout: ${state.passesInARow} of ${options.healthyThreshold} passes in a row (${probes.length} probe(s); last: ${last ? describeProbe(last) : "none"}${cut})`;
}
