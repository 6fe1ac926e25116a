import { fillColorUrl, formatDuration, GateFailedError, type GateFinding, placeholderValuesOf } from "@cutover/core";
import { type CheckResult, HttpClient, joinUrl, type LoadResult, resolveCheck, runChecks, runLoad } from "@cutover/http-checks";
import { type Logger, runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { smokeTest } from "./inputs.js";
import { selectChecks } from "./load-checks.js";
import { maskCheckCredentials } from "./sensitive-headers.js";
import { renderSummary } from "./summary.js";

await runAction(smokeTest, async (inputs, { signal, redactor, log }) => {
  const url = fillColorUrl("url", inputs.url, placeholderValuesOf(inputs));
  const specs = selectChecks(inputs.checks, inputs["checks-file"]);
  maskCheckCredentials(specs, redactor);
  const defaults = {
    timeoutMs: inputs["request-timeout"],
    retries: inputs.retries,
    headers: inputs.headers ?? {},
    followRedirects: inputs["follow-redirects"],
  };
  const checks = specs.map((spec) => resolveCheck(spec, url, defaults));
  const client = new HttpClient({ maxSockets: inputs.concurrency });
  try {
    log.info(`Running ${checks.length} check(s) against ${url} (concurrency ${inputs.concurrency})`);
    const results = await runChecks(checks, {
      client,
      concurrency: inputs.concurrency,
      retryDelayMs: inputs["retry-delay"],
      signal,
      ...(inputs["tls-min-days"] === undefined ? {} : { minCertificateDays: inputs["tls-min-days"] }),
      onRetry: (check, attempt, delayMs) => {
        const why = attempt.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ");
        log.info(`↻ ${check.name}: attempt ${attempt.attempt} failed (${why}); retrying in ${formatDuration(delayMs)}`);
      },
    });
    for (const r of results) logResult(log, r);

    let load: LoadResult | undefined;
    if (inputs.load) {
      const loadUrl = joinUrl(url, inputs.load.path);
      log.info(`Load burst: ${inputs.load.requests} ${inputs.load.method} ${loadUrl} at concurrency ${inputs.load.concurrency}`);
      load = await runLoad(loadUrl, inputs.load, { timeoutMs: inputs["request-timeout"], headers: defaults.headers, signal });
      log.info(
        `Load: p50 ${load.p50Ms}ms, p95 ${load.p95Ms}ms, p99 ${load.p99Ms}ms, ${load.requestsPerSecond} req/s, ${load.failed} failed`,
      );
      if (load.client.saturated) {
        log.warning(
          `The load client itself was saturated (event-loop delay p99 ${formatDuration(load.client.eventLoopDelayP99Ms)}): latencies include its own queueing; lower the concurrency or run the load from a less busy runner.`,
        );
      }
      for (const f of load.inconclusive) log.warning(`Inconclusive: ${f.subject}: measured ${f.measured}, expected ${f.expected}`);
    }

    const failed = results.filter((r) => !r.ok);
    setOutputs(
      {
        passed: results.length - failed.length,
        failed: failed.length,
        total: results.length,
        ...(load ? { "p50-ms": load.p50Ms, "p95-ms": load.p95Ms, "p99-ms": load.p99Ms, "success-rate": load.successRate } : {}),
      },
      redactor,
    );
    setReport(
      {
        url,
        passed: results.length - failed.length,
        failed: failed.length,
        checks: results.map(reportEntry),
        ...(load ? { load } : {}),
      },
      redactor,
    );
    await writeSummary(renderSummary(url, results, load), redactor);

    const findings: GateFinding[] = failed.flatMap((r) =>
      r.failures.map((f) => ({
        subject: `${r.name} ${f.assertion} (after ${r.attempts} attempt${r.attempts === 1 ? "" : "s"})`,
        measured: f.measured,
        expected: f.expected,
      })),
    );
    findings.push(...(load?.findings ?? []));
    if (findings.length > 0) {
      const summary = failed.length > 0 ? `${failed.length} of ${results.length} checks failed` : "load burst over its limits";
      throw new GateFailedError(summary, findings);
    }
  } finally {
    client.close();
  }
});

function logResult(log: Logger, result: CheckResult): void {
  const timing = result.latencyMs === undefined ? "" : ` in ${formatDuration(result.latencyMs)}`;
  const attempts = result.attempts > 1 ? ` after ${result.attempts} attempts` : "";
  if (result.ok) log.info(`✓ ${result.name}: ${result.status}${timing}${attempts}`);
  else
    log.info(
      `✗ ${result.name}: ${result.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ")}${attempts}`,
    );
}

/** The report's shape per check uses the output names' kebab-case. */
function reportEntry(result: CheckResult) {
  return {
    name: result.name,
    url: result.url,
    method: result.method,
    status: result.status ?? null,
    ok: result.ok,
    attempts: result.attempts,
    "latency-ms": result.latencyMs ?? null,
    failures: result.failures,
    ...(result.certificateDaysLeft === undefined ? {} : { "certificate-days-left": result.certificateDaysLeft }),
  };
}
