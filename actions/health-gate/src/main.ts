import {
  type AlertRule,
  type AnalysisResult,
  describeJudged,
  describeProbe,
  describeWarning,
  judgeGate,
  loadAlertRules,
  type Measurement,
  PrometheusClient,
  pollReadiness,
  type ReadinessProbe,
  type ReadinessResult,
  runAnalysis,
  unfilledPlaceholders,
} from "@cutover/analysis";
import { CancelledError, ConfigError, fillColorUrl, formatDuration, redactUrl } from "@cutover/core";
import { HttpClient, joinUrl } from "@cutover/http-checks";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { withBakeDuration } from "./bake-duration.js";
import { placeholderValues } from "./input-combinations.js";
import { healthGate } from "./inputs.js";
import { buildReport } from "./report.js";
import { type GateOutcome, renderSummary } from "./summary.js";

await runAction(healthGate, async (given, { signal, redactor, log: logger, workspace }) => {
  const startedAt = new Date();
  const inputs = withBakeDuration(given);
  const values = placeholderValues(inputs);
  const rulesPath = inputs["alert-rules"];
  const rules: AlertRule[] = rulesPath ? await loadAlertRules(rulesPath, workspace) : [];
  const ruleIssues = rules.flatMap((rule) => unfilledPlaceholders("alert-rules", rule.name, rule.expr, values));
  if (ruleIssues.length > 0) throw new ConfigError(ruleIssues);
  const log = (text: string) => logger.info(text);
  const client = new HttpClient({ maxSockets: 16 });
  const probes: ReadinessProbe[] = [];
  const measurements: Measurement[] = [];
  let readiness: ReadinessResult | undefined;
  let analysis: AnalysisResult | undefined;
  const base = inputs.url ? fillColorUrl("url", inputs.url, values) : undefined;
  const url = base && inputs.path ? joinUrl(base, inputs.path) : base;
  const metrics = inputs.metrics ?? [];
  const analyses = metrics.length + rules.length > 0;

  const publish = async (outcome: GateOutcome) => {
    setOutputs(
      {
        healthy: outcome.healthy,
        ...(outcome.verdict === "cancelled" ? {} : { verdict: outcome.verdict }),
        ...(readiness?.timeToHealthyMs === undefined ? {} : { "time-to-healthy-ms": readiness.timeToHealthyMs }),
        reason: outcome.headline,
        warnings: JSON.stringify(analysis?.warnings ?? []),
      },
      redactor,
    );
    setReport(buildReport(outcome, inputs, { url, readiness, probes }, { analysis, measurements }), redactor);
    await writeSummary(
      renderSummary(
        outcome,
        url ? { ...(readiness ? { result: readiness } : {}), probes, url, healthyThreshold: inputs["healthy-threshold"] } : undefined,
        analyses ? { ...(analysis ? { result: analysis } : {}), measurements } : undefined,
      ),
      redactor,
    );
  };

  try {
    if (url) {
      log(
        `Polling ${redactUrl(url)} every ${formatDuration(inputs.interval)} until ${inputs["healthy-threshold"]} probe(s) pass in a row (deadline ${formatDuration(inputs.deadline)})`,
      );
      readiness = await pollReadiness({
        url,
        ...(inputs.expect ? { expect: inputs.expect } : {}),
        headers: inputs.headers ?? {},
        client,
        intervalMs: inputs.interval,
        timeoutMs: inputs.deadline,
        requestTimeoutMs: inputs["request-timeout"],
        healthyThreshold: inputs["healthy-threshold"],
        unhealthyThreshold: inputs["unhealthy-threshold"],
        signal,
        onProbe: (probe, state) => {
          probes.push(probe);
          const mark = probe.ok ? "✓" : probe.answered ? "✗" : "…";
          const streak = probe.ok
            ? `${state.passesInARow} of ${inputs["healthy-threshold"]} in a row`
            : probe.answered || state.firstAnswerMs !== undefined
              ? `${state.failuresInARow} of ${inputs["unhealthy-threshold"]} failures in a row`
              : "not answering yet; counts against the deadline only";
          log(`${mark} probe ${probe.n} at ${formatDuration(probe.atMs)}: ${describeProbe(probe)} (${streak})`);
        },
      });
      log(`Readiness: ${readiness.healthy ? "healthy" : readiness.outcome}: ${readiness.message}`);
    }
    if (analyses && inputs["prometheus-url"] && (!readiness || readiness.healthy)) {
      const count = inputs["analysis-count"];
      const scope = inputs.scope ?? {};
      log(
        `Judging ${describeJudged(values)}: ${metrics.length} metric(s)${rules.length > 0 ? ` and ${rules.length} alert rule(s) from ${rulesPath}` : ""} from ${redactUrl(inputs["prometheus-url"])}, ${count} measurement(s) every ${formatDuration(inputs["analysis-interval"])}` +
          (inputs["initial-delay"] > 0 ? ` after ${formatDuration(inputs["initial-delay"])}` : "") +
          (Object.keys(scope).length > 0 ? `; every selector scoped to ${JSON.stringify(scope)}` : ""),
      );
      analysis = await runAnalysis({
        provider: new PrometheusClient({
          url: inputs["prometheus-url"],
          headers: inputs["prometheus-headers"] ?? {},
          timeoutMs: inputs["request-timeout"],
          client,
        }),
        metrics,
        rules,
        scope,
        values,
        baselineAt: inputs["switched-at"] ?? startedAt,
        intervalMs: inputs["analysis-interval"],
        count,
        failureLimit: inputs["failure-limit"],
        inconclusiveLimit: inputs["inconclusive-limit"],
        initialDelayMs: inputs["initial-delay"],
        signal,
        onMeasurement: (m) => {
          measurements.push(m);
          const mark =
            m.outcome === "pass"
              ? m.warnings.length > 0
                ? "!"
                : "✓"
              : m.outcome === "fail"
                ? "✗"
                : m.outcome === "no-traffic"
                  ? "·"
                  : "?";
          const against = m.checks
            .map((c) => `${c.ok ? "" : "NOT "}${c.expected}${c.measured === m.display ? "" : ` (${c.measured})`}`)
            .join(", ");
          const baseline = m.baselineDisplay === undefined ? "" : `, baseline ${m.baselineDisplay}`;
          log(
            `${mark} ${m.metric} #${m.n}/${count}: ${m.display}${baseline}${against ? ` — ${against}` : ""}${m.note ? ` — ${m.note}` : ""}`,
          );
        },
      });
      log(`Analysis: ${analysis.verdict} after ${analysis.taken} of ${count} measurement(s): ${analysis.reason}`);
      for (const metric of analysis.metrics)
        log(`  ${metric.name}: \`${metric.query}\`${metric.trafficQuery ? ` (traffic: \`${metric.trafficQuery}\`)` : ""}`);
      // One annotation per metric or rule that warned (its latest value): reported, never failing.
      const lastWarnings = new Map(analysis.warnings.map((w) => [w.metric, w]));
      for (const warning of lastWarnings.values()) {
        logger.warning(describeWarning(warning, analysis.judged), { title: "health-gate: warning" });
      }
      for (const metric of analysis.metrics.filter((m) => m.noTraffic && m.verdict === "pass")) {
        logger.notice(`${metric.name}: ${metric.reason}`, { title: "health-gate: no traffic to judge" });
      }
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      const where = analysis || measurements.length > 0 ? `${measurements.length} measurement(s)` : `${probes.length} probe(s)`;
      log(`health-gate: stopped at once (${error.message}) after ${where}; no verdict was reached`);
      await publish({ verdict: "cancelled", healthy: false, headline: `${error.message}; no verdict` });
    }
    throw error;
  } finally {
    client.close();
  }

  const judged = judgeGate({
    readiness,
    analysis,
    onInconclusive: inputs["on-inconclusive"],
    readinessTimeoutMs: inputs.deadline,
    healthyThreshold: inputs["healthy-threshold"],
  });
  await publish({ verdict: judged.verdict, healthy: judged.healthy, headline: judged.headline });
  if (judged.warning) logger.warning(judged.warning);
  if (judged.refusal) throw judged.refusal;
});
