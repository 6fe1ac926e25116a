import { ConfigError } from "@cutover/core";
import { type Color, otherColor } from "./color.js";

/** The color a switch goes to: a named color, or `idle` (the one not active now; named in the `to` input). */
export function resolveSwitchTarget(to: "idle" | Color, active: Color | undefined, router: { describe(): string }): Color {
  if (to !== "idle") return to;
  if (active === undefined) {
    throw ConfigError.single({
      input: "to",
      path: "",
      given: '"idle"',
      expected: `blue or green: ${router.describe()} has no active color yet, so the first switch must name its color`,
    });
  }
  return otherColor(active);
}
