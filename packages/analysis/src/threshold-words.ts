import type { MetricSpec } from "./metric-schema.js";
import { formatValue } from "./sample-value.js";

/** Thresholds in words, for summaries and reports. */
export function describeThresholds(spec: MetricSpec): string[] {
  const out: string[] = [];
  if (spec.max !== undefined) out.push(`≤ ${formatValue(spec.max)}`);
  if (spec.min !== undefined) out.push(`≥ ${formatValue(spec.min)}`);
  if (spec["max-ratio"] !== undefined) out.push(`≤ ${formatValue(spec["max-ratio"])} × baseline`);
  if (spec["max-delta"] !== undefined) out.push(`≤ baseline + ${formatValue(spec["max-delta"])}`);
  if (spec["warn-max"] !== undefined) out.push(`warn above ${formatValue(spec["warn-max"])}`);
  if (spec["warn-min"] !== undefined) out.push(`warn below ${formatValue(spec["warn-min"])}`);
  return out;
}
