import type { Color } from "./color.js";
import type { TrafficWeights } from "./traffic-weights.js";

/**
 * Percentages from a load balancer's relative weights (HTTPRoute 0..1000000, ALB 0..999), rounded
 * so they sum to 100; undefined when both are 0 (neither color gets traffic).
 */
export function sharesOf(relative: Record<Color, number>): TrafficWeights | undefined {
  const total = relative.blue + relative.green;
  if (total <= 0) return undefined;
  const blue = Math.round((relative.blue / total) * 100);
  return { blue, green: 100 - blue };
}
