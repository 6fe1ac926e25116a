import http from "node:http";

/** What a load run saw. A request counts as failed on any error, timeout, non-200 or unknown color. */
export interface LoadStats {
  sent: number;
  /**
   * GET requests sent a second time, on a fresh connection, because their connection was reset
   * before any byte of a response came back: nginx's old workers close idle keep-alive (and
   * just-accepted, still-silent) connections when a reload retires them. RFC 9112 §9.3.1 lets a
   * client retransmit idempotent requests in exactly this case, and browsers, curl and Go do;
   * Node's http.Agent leaves it to the caller. Counted here, never hidden; a resend that fails
   * counts as failed.
   */
  resent: number;
  succeeded: number;
  failed: number;
  /** Failure reasons with their counts. */
  errors: Record<string, number>;
  /** Successful answers per color. */
  byColor: Record<string, number>;
  durationMs: number;
  requestsPerSecond: number;
}

export interface LoadOptions {
  url: string;
  /** Requests per second to send, paced evenly. */
  rate: number;
  /** Keep-alive sockets to spread the requests over. */
  sockets?: number;
  timeoutMs?: number;
  /** Colors a response may come from (its x-color header). */
  colors?: readonly string[];
}

export interface RunningLoad {
  stats(): LoadStats;
  /** Stops sending, waits for requests in flight, and returns the totals. */
  stop(): Promise<LoadStats>;
}

const TICK_MS = 5;

/**
 * Open-loop load over keep-alive connections: requests are sent on a fixed schedule whether or
 * not earlier ones have answered, so a stall shows as failures or latency, never as a pause.
 * No retries: a request that fails is counted as failed.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets ?? 16 });
  const colors = new Set(options.colors ?? ["blue", "green"]);
  const stats: LoadStats = { sent: 0, resent: 0, succeeded: 0, failed: 0, errors: {}, byColor: {}, durationMs: 0, requestsPerSecond: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const fail = (reason: string) => {
    stats.failed++;
    stats.errors[reason] = (stats.errors[reason] ?? 0) + 1;
  };
  const send = () => {
    stats.sent++;
    const done = attempt(true);
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const attempt = (mayResend: boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      let answered = false;
      // A resend goes out on a connection of its own, as browsers and curl do, not on another pooled one.
      const req = http.get(options.url, { agent: mayResend ? agent : false, timeout: options.timeoutMs ?? 5_000 }, (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("error", (error) => {
          fail(`response ${(error as NodeJS.ErrnoException).code ?? error.message}`);
          resolve();
        });
        res.on("end", () => {
          const color = String(res.headers["x-color"] ?? "");
          if (res.statusCode !== 200) fail(`status ${res.statusCode}`);
          else if (!colors.has(color) || !body.includes(`"color":"${color}"`))
            fail(`unexpected answer ${JSON.stringify(body.slice(0, 80))}`);
          else {
            stats.succeeded++;
            stats.byColor[color] = (stats.byColor[color] ?? 0) + 1;
          }
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error) => {
        const code = (error as NodeJS.ErrnoException).code ?? error.message;
        // Only a connection closed under the request before any response byte qualifies.
        if (mayResend && !answered && (code === "ECONNRESET" || code === "EPIPE")) {
          stats.resent++;
          void attempt(false).then(resolve);
          return;
        }
        fail(`${code}${req.reusedSocket ? " on a reused connection" : " on a new connection"}${mayResend ? "" : " (resend)"}`);
        resolve();
      });
    });
  // Pace by elapsed time, not by tick count: timers drift under load, the schedule must not.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * options.rate);
    while (stats.sent < due) send();
  }, TICK_MS);
  const snapshot = (): LoadStats => {
    const durationMs = performance.now() - started;
    return {
      ...stats,
      errors: { ...stats.errors },
      byColor: { ...stats.byColor },
      durationMs,
      requestsPerSecond: (stats.sent / durationMs) * 1000,
    };
  };
  return {
    stats: snapshot,
    stop: async () => {
      clearInterval(timer);
      const sendingEnded = performance.now();
      await Promise.all([...inFlight]);
      agent.destroy();
      const result = snapshot();
      result.durationMs = sendingEnded - started;
      result.requestsPerSecond = (result.sent / result.durationMs) * 1000;
      return result;
    },
  };
}
