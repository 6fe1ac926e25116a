import { durationInput, structuredInput } from "@cutover/core";
import { z } from "zod";

const EXPECTED = "the new color's share in percent at each step, rising and ending at 100, such as `10, 50, 100`";

/**
 * `traffic-steps`: `10, 50, 100` (or a YAML list). Each share is held and judged before the
 * next; the last is 100, when the new color has all traffic and the bake takes over.
 */
export const trafficStepsSchema = z.union([z.string(), z.number(), z.array(z.union([z.number(), z.string()]))]).transform((given, ctx) => {
  const parts = Array.isArray(given) ? given.map(String) : String(given).split(",");
  const shares: number[] = [];
  for (const part of parts.map((p) => p.trim().replace(/%$/, ""))) {
    if (!/^\d{1,3}$/.test(part) || Number(part) < 1 || Number(part) > 100) {
      const shown = part.length > 20 ? `${part.slice(0, 17)}...` : part;
      ctx.addIssue({ code: "custom", message: `'${shown}' is not a share from 1 to 100; expected ${EXPECTED}` });
      return z.NEVER;
    }
    shares.push(Number(part));
  }
  const falling = shares.findIndex((share, i) => i > 0 && share <= (shares[i - 1] as number));
  if (falling > 0) {
    ctx.addIssue({ code: "custom", message: `${shares[falling]} after ${shares[falling - 1]} does not rise; expected ${EXPECTED}` });
    return z.NEVER;
  }
  if (shares.at(-1) !== 100) {
    ctx.addIssue({ code: "custom", message: `the last step is ${shares.at(-1) ?? "missing"}, not 100; expected ${EXPECTED}` });
    return z.NEVER;
  }
  if (shares.length > 20) {
    ctx.addIssue({ code: "custom", message: `${shares.length} steps; expected at most 20 (${EXPECTED})` });
    return z.NEVER;
  }
  return shares;
});

/** The inputs of a rollout in steps, shared by blue-green-swap and rollback so they read alike. */
export const trafficStepInputs = {
  "traffic-steps": structuredInput(trafficStepsSchema).optional(),
  "step-duration": durationInput("5m"),
};
