import type { Color } from "./color.js";
import type { TrafficWeights } from "./traffic-weights.js";

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The weight each server of a color gets so the colors' shares are `weights`, a color's share
 * spread evenly over its servers. With as many servers per color the weight is the share
 * itself; otherwise it is scaled by the other color's count, exact while it fits `maxWeight`
 * (HAProxy: 256). A color with a share above 0 never gets weight 0.
 */
export function serverWeightFor(
  weights: TrafficWeights,
  counts: Record<Color, number>,
  maxWeight = Number.POSITIVE_INFINITY,
): Record<Color, number> {
  const divisor = gcd(counts.blue, counts.green);
  const exact = {
    blue: (weights.blue * counts.green) / divisor,
    green: (weights.green * counts.blue) / divisor,
  };
  const largest = Math.max(exact.blue, exact.green);
  const scale = largest > maxWeight ? maxWeight / largest : 1;
  const scaled = (color: Color) => (weights[color] === 0 ? 0 : Math.max(1, Math.round(exact[color] * scale)));
  return { blue: scaled("blue"), green: scaled("green") };
}
