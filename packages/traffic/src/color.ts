/** The two colors of a blue-green deployment. */
export const COLORS = ["blue", "green"] as const;

export type Color = (typeof COLORS)[number];

/** The color that is not `color`. */
export function otherColor(color: Color): Color {
  return color === "blue" ? "green" : "blue";
}

export function isColor(value: string): value is Color {
  return (COLORS as readonly string[]).includes(value);
}
