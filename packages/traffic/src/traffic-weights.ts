import { z } from "zod";
import { COLORS, type Color, otherColor } from "./color.js";

/** Share of traffic per color, in percent (integers 0..100, summing to 100). */
export type TrafficWeights = Record<Color, number>;

const share = z.number().int().min(0).max(100);

/** Validates shares given as an object: `{ blue: 90, green: 10 }`. */
export const trafficWeightsSchema = z
  .strictObject({ blue: share, green: share })
  .refine((w) => w.blue + w.green === 100, { message: "shares that add up to 100, such as { blue: 90, green: 10 }" });

/** All traffic to `color`. */
export function allTo(color: Color): TrafficWeights {
  return { [color]: 100, [otherColor(color)]: 0 } as TrafficWeights;
}

/** The color holding all traffic, or undefined when traffic is split. */
export function soleColor(weights: TrafficWeights): Color | undefined {
  return COLORS.find((color) => weights[color] === 100);
}

/**
 * The color a split counts as active: the larger share; on a tie the color that had all
 * traffic before (`previous`), else undefined.
 */
export function dominantColor(weights: TrafficWeights, previous?: Color): Color | undefined {
  if (weights.blue !== weights.green) return weights.blue > weights.green ? "blue" : "green";
  return previous;
}

/** `blue=90,green=10`: how shares travel in CUTOVER_WEIGHTS, markers and logs. */
export function formatWeights(weights: TrafficWeights): string {
  return COLORS.map((color) => `${color}=${weights[color]}`).join(",");
}

/**
 * Reads `blue=90,green=10` (or `green=10`, the other color taking the rest). Throws a message
 * saying what was expected; callers name the input.
 */
export function parseWeights(text: string): TrafficWeights {
  const expected = "shares in percent such as `blue=90,green=10` or `green=10` (integers 0..100 adding up to 100)";
  const given: Partial<TrafficWeights> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(blue|green)\s*[=:]\s*(\d{1,3})%?$/.exec(part);
    if (!match) throw new Error(`'${part}' is not color=percent; expected ${expected}`);
    const color = match[1] as Color;
    if (given[color] !== undefined) throw new Error(`${color} is given twice; expected ${expected}`);
    given[color] = Number(match[2]);
  }
  const colors = COLORS.filter((c) => given[c] !== undefined);
  if (colors.length === 0) throw new Error(`nothing given; expected ${expected}`);
  if (colors.length === 1) {
    const color = colors[0] as Color;
    given[otherColor(color)] = 100 - (given[color] as number);
  }
  const result = trafficWeightsSchema.safeParse(given);
  if (!result.success)
    throw new Error(`${formatWeights(given as TrafficWeights)} does not add up to 100 (or a share is above 100); expected ${expected}`);
  return result.data;
}

/** True when both colors get the same share in `a` and `b`. */
export function sameWeights(a: TrafficWeights | undefined, b: TrafficWeights | undefined): boolean {
  return a !== undefined && b !== undefined && a.blue === b.blue && a.green === b.green;
}
