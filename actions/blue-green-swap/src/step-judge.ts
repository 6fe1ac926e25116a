import { type AlertRule, analyseStep, PrometheusClient } from "@cutover/analysis";
import { HttpClient } from "@cutover/http-checks";
import type { Color, StepJudgement, TrafficStep } from "@cutover/traffic";

export interface StepJudgeSettings {
  durationMs: number;
  intervalMs: number;
  prometheusUrl?: string | undefined;
  prometheusHeaders?: Record<string, string> | undefined;
  metrics: NonNullable<Parameters<typeof analyseStep>[0]["metrics"]>;
  rules: readonly AlertRule[];
  scope: Record<string, string>;
  failureLimit: number;
  inconclusiveLimit: number;
  onInconclusive: "pass" | "fail";
  release: { version?: string | undefined; "previous-version"?: string | undefined; environment?: string | undefined };
}

/**
 * The judge of each step: the new color's own metrics and alert rules over the step's duration.
 * `close` frees the HTTP client.
 */
export function stepJudge(settings: StepJudgeSettings, target: Color, from: Color, log: (line: string) => void) {
  const client = new HttpClient({ maxSockets: 4 });
  const provider = settings.prometheusUrl
    ? new PrometheusClient({ url: settings.prometheusUrl, headers: settings.prometheusHeaders ?? {}, timeoutMs: 5_000, client })
    : undefined;
  const judge = async (step: TrafficStep, signal: AbortSignal): Promise<StepJudgement> => {
    const values = { ...settings.release, color: target, "previous-color": from };
    const judged = await analyseStep({
      provider,
      metrics: settings.metrics,
      rules: settings.rules,
      scope: settings.scope,
      values: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
      baselineAt: new Date(step.at),
      durationMs: settings.durationMs,
      intervalMs: settings.intervalMs,
      failureLimit: settings.failureLimit,
      inconclusiveLimit: settings.inconclusiveLimit,
      onInconclusive: settings.onInconclusive,
      signal,
      onMeasurement: (m) => log(`  ${m.outcome === "pass" ? "✓" : m.outcome === "fail" ? "✗" : "?"} ${m.metric} #${m.n}: ${m.display}`),
    });
    return { ok: judged.ok, reason: judged.reason, ...(judged.findings ? { findings: judged.findings } : {}) };
  };
  return { judge, close: () => client.close() };
}
