export {
  type AnalysisOptions,
  type AnalysisResult,
  describeThresholds,
  type Measurement,
  type MetricResult,
  runAnalysis,
  type Verdict,
} from "./analysis-loop.js";
export { type GateVerdict, type GateVerdictInput, judgeGate } from "./gate-verdict.js";
export { type Judgement, judgeMeasurement, type MeasurementOutcome, type ThresholdCheck } from "./judge-measurement.js";
export { type MetricSpec, metricListSchema, metricSchema, type NoDataPolicy, noDataPolicy } from "./metric-schema.js";
export {
  interpret,
  type MetricProvider,
  MetricQueryError,
  PrometheusClient,
  type PrometheusOptions,
  type QueryValue,
} from "./prometheus-client.js";
export {
  describeProbe,
  pollReadiness,
  type ReadinessOptions,
  type ReadinessOutcome,
  type ReadinessProbe,
  type ReadinessResult,
  type ReadinessState,
} from "./readiness.js";
export { formatValue, parseSampleValue } from "./sample-value.js";
