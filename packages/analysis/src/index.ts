export { type AlertRule, loadAlertRules, parseAlertRules, ruleOnlyWarns } from "./alert-rules.js";
export type { AnalysisCheck, CheckReading, QueryRunner } from "./analysis-check.js";
export { type AnalysisInputsGiven, analysisInputIssues, unfilledPlaceholders } from "./analysis-input-checks.js";
export { analysisInputs, analysisPreloads, headerMapSchema, releaseInputs, scopeSchema } from "./analysis-inputs.js";
export {
  type AnalysisOptions,
  type AnalysisResult,
  type AnalysisWarning,
  describeJudged,
  describeThresholds,
  type Measurement,
  type MetricResult,
  runAnalysis,
  type Verdict,
} from "./analysis-loop.js";
export { type BakeSchedule, type BakeScheduleInput, bakeSchedule } from "./bake-schedule.js";
export { type GateVerdict, type GateVerdictInput, judgeGate } from "./gate-verdict.js";
export { type Judgement, judgeMeasurement, type MeasurementOutcome, type ThresholdCheck } from "./judge-measurement.js";
export { metricCheck } from "./metric-check.js";
export { expandScope, type MetricQueries, metricQueries } from "./metric-queries.js";
export {
  type MetricKind,
  type MetricSpec,
  metricKindOf,
  metricKinds,
  metricListSchema,
  metricSchema,
  type NoDataPolicy,
  noDataPolicy,
} from "./metric-schema.js";
export {
  interpret,
  interpretSeries,
  type MetricProvider,
  MetricQueryError,
  PrometheusClient,
  type PrometheusOptions,
  type QueryOptions,
  type QuerySeries,
  type QueryValue,
} from "./prometheus-client.js";
export { loadPromqlGrammar } from "./promql-grammar.js";
export { PromqlSyntaxError, parseSelector, promqlSyntaxError, type Scope, scopeQuery } from "./promql-scope.js";
export {
  describeProbe,
  pollReadiness,
  type ReadinessOptions,
  type ReadinessOutcome,
  type ReadinessProbe,
  type ReadinessResult,
  type ReadinessState,
} from "./readiness.js";
export { ruleCheck } from "./rule-check.js";
export { formatValue, parseSampleValue } from "./sample-value.js";
export { analyseStep, type StepAnalysis, type StepAnalysisOptions } from "./step-analysis.js";
export { analysisFindings, decidingReason, describeWarning } from "./verdict-reason.js";
