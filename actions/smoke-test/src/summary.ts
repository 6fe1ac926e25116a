import { formatDuration } from "@cutover/core";
import type { CheckResult, LoadResult } from "@cutover/http-checks";
import { table } from "@cutover/runner";

/** The step summary: one row per check, then the load figures. */
export function renderSummary(url: string, results: readonly CheckResult[], load: LoadResult | undefined): string {
  const failed = results.filter((r) => !r.ok).length;
  const verdict = failed === 0 ? `✅ all ${results.length} checks passed` : `❌ ${failed} of ${results.length} checks failed`;
  let markdown = `### smoke-test: ${verdict}\n\nTarget: \`${url}\`\n\n`;
  markdown += table(
    ["Check", "Result", "Status", "Latency", "Attempts", "What failed"],
    results.map((r) => [
      `${r.name}`,
      r.ok ? "✅ pass" : "❌ fail",
      r.status ?? "—",
      r.latencyMs === undefined ? "—" : formatDuration(r.latencyMs),
      r.attempts,
      r.failures.map((f) => `${f.assertion}: ${f.measured} (expected ${f.expected})`).join("; "),
    ]),
  );
  if (load) {
    const verdict = load.findings.length > 0 ? "❌ over limits" : load.inconclusive.length > 0 ? "⚠️ inconclusive" : "✅ within limits";
    markdown += `\n#### Load burst: ${verdict}\n\n`;
    markdown += table(
      ["Requests", "Failed", "Success rate", "p50", "p95", "p99", "Requests/s", "Duration", "Client event-loop delay p99"],
      [
        [
          load.requests,
          load.failed,
          `${(load.successRate * 100).toFixed(2)}%`,
          formatDuration(load.p50Ms),
          formatDuration(load.p95Ms),
          formatDuration(load.p99Ms),
          load.requestsPerSecond,
          formatDuration(load.durationMs),
          `${formatDuration(load.client.eventLoopDelayP99Ms)}${load.client.saturated ? " ⚠️ saturated" : ""}`,
        ],
      ],
    );
    for (const f of load.findings) markdown += `\n- ${f.subject}: measured ${f.measured}, expected ${f.expected}`;
    for (const f of load.inconclusive) markdown += `\n- ⚠️ inconclusive, ${f.subject}: measured ${f.measured}, expected ${f.expected}`;
    markdown += "\n";
  }
  return markdown;
}
