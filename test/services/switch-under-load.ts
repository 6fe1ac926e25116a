// Switches a real router back and forth while clients that never retry send requests through it:
// fetch (undici, what Node's fetch is built on) over keep-alive connections, open loop (requests leave on schedule whether
// or not earlier ones answered), GET or POST. Any error, timeout, non-200 or unknown color counts
// as failed. A machine too busy to serve the rate shows as requests not sent (`skipped`, the
// client at its in-flight cap), never as failures: a failure is the router's. Shared by the e2e tier (HAProxy must drop nothing) and bench/traffic-switch.ts.
import type { Color, Router } from "@cutover/traffic";
import { Agent, fetch } from "undici";

export interface SwitchLoadOptions {
  url: string;
  method: "GET" | "POST";
  /** Requests per second, paced evenly. */
  rate: number;
  switches: number;
  /** Time between switches (and before the first and after the last). */
  switchEveryMs: number;
  router: Router;
  /** Per request; generous, so a busy machine shows as latency rather than failure. */
  timeoutMs?: number;
  /** Requests in flight at most (and connections); a slot due while all are busy is skipped. */
  maxInFlight?: number;
}

export interface SwitchLoadResult {
  method: "GET" | "POST";
  sent: number;
  /** Slots not sent because `maxInFlight` requests were still waiting: the machine, not the router. */
  skipped: number;
  failed: number;
  /** Failure reasons with their counts (error code, `status 502`, `timeout`…). */
  errors: Record<string, number>;
  byColor: Record<string, number>;
  switches: number;
  durationMs: number;
  /** Requests per second actually sent. */
  rate: number;
}

const TICK_MS = 5;

export async function switchUnderLoad(options: SwitchLoadOptions): Promise<SwitchLoadResult> {
  // undici's own pool: keep-alive, and no retry of a request that was sent (fetch never retries).
  const maxInFlight = options.maxInFlight ?? 64;
  const dispatcher = new Agent({ connections: maxInFlight, keepAliveTimeout: 60_000 });
  const result: SwitchLoadResult = {
    method: options.method,
    sent: 0,
    skipped: 0,
    failed: 0,
    errors: {},
    byColor: {},
    switches: 0,
    durationMs: 0,
    rate: 0,
  };
  const fail = (reason: string) => {
    result.failed++;
    result.errors[reason] = (result.errors[reason] ?? 0) + 1;
  };
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    if (inFlight.size >= maxInFlight) {
      result.skipped++;
      return;
    }
    result.sent++;
    const body = options.method === "POST" ? JSON.stringify({ n: result.sent }) : undefined;
    const request = fetch(options.url, {
      method: options.method,
      ...(body ? { body, headers: { "content-type": "application/json" } } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      dispatcher,
    })
      .then(async (response) => {
        await response.text();
        const color = response.headers.get("x-color") ?? "";
        if (response.status !== 200) fail(`status ${response.status}`);
        else if (color !== "blue" && color !== "green") fail(`unknown color '${color}'`);
        else result.byColor[color] = (result.byColor[color] ?? 0) + 1;
      })
      .catch((error: Error & { cause?: { code?: string; message?: string } }) => {
        fail(error.name === "TimeoutError" ? "timeout" : (error.cause?.code ?? error.cause?.message ?? error.message));
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const started = performance.now();
  let due = 0;
  const pacer = setInterval(() => {
    const target = Math.floor(((performance.now() - started) / 1000) * options.rate);
    for (; due < target; due++) send();
  }, TICK_MS);
  try {
    let to: Color = (await options.router.status()) === "green" ? "blue" : "green";
    for (let i = 0; i < options.switches; i++) {
      await new Promise((resolve) => setTimeout(resolve, options.switchEveryMs));
      await options.router.switchTo(to);
      result.switches++;
      to = to === "blue" ? "green" : "blue";
    }
    await new Promise((resolve) => setTimeout(resolve, options.switchEveryMs));
  } finally {
    clearInterval(pacer);
    await Promise.all(inFlight);
    await dispatcher.close();
  }
  result.durationMs = Math.round(performance.now() - started);
  result.rate = Math.round((result.sent / result.durationMs) * 1000);
  return result;
}
