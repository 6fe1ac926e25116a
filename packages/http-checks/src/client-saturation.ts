import { monitorEventLoopDelay } from "node:perf_hooks";

/** How busy the load client itself was: its event loop's delay while the burst ran. */
export interface ClientSaturation {
  /** 99th percentile of how late the client's event loop ran a due timer, in ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /**
   * The client's own queueing is a large share of the latency it measured (its p99 event-loop
   * delay is over a tenth of the p95 latency, and over 1 ms): the figures partly measure the
   * client, so a latency gate that fails on them is inconclusive rather than a verdict.
   */
  saturated: boolean;
}

/** The share of measured latency above which the client's own delay makes the percentiles unreliable. */
const SATURATED_SHARE = 0.1;
/** Below this a delay is timer jitter, not queueing. */
const JITTER_MS = 1;

/** Starts watching the event loop; `stop(p95Ms)` ends it and judges the client against the latency measured. */
export function watchClientSaturation(): { stop(p95Ms: number): ClientSaturation } {
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  return {
    stop(p95Ms) {
      histogram.disable();
      const p99 = histogram.count === 0 ? 0 : histogram.percentile(99) / 1e6;
      const max = histogram.count === 0 ? 0 : histogram.max / 1e6;
      return judgeSaturation(p99, max, p95Ms);
    },
  };
}

/** Whether an event-loop delay of `p99Ms` makes a measured p95 of `p95Ms` unreliable. */
export function judgeSaturation(p99Ms: number, maxMs: number, p95Ms: number): ClientSaturation {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    eventLoopDelayP99Ms: round(p99Ms),
    eventLoopDelayMaxMs: round(maxMs),
    saturated: p99Ms > JITTER_MS && p99Ms > SATURATED_SHARE * p95Ms,
  };
}
