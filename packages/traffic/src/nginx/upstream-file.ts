import { COLORS, type Color, otherColor } from "../color.js";
import { serverWeightFor } from "../split-weights.js";
import { dominantColor, formatWeights, parseWeights, soleColor, type TrafficWeights } from "../traffic-weights.js";
import type { NginxRouterConfig } from "./nginx-schema.js";

const MARKER = /^# cutover:active-color=(\S*)\s*$/m;
const WEIGHTS_MARKER = /^# cutover:weights=(\S*)\s*$/m;

type UpstreamConfig = Pick<NginxRouterConfig, "upstream-name" | "colors" | "upstream-options">;

/**
 * The whole managed upstream file: all traffic to `target` (a color), or split by shares with
 * both colors' servers weighted. Rendering is deterministic (no timestamps) so an unchanged
 * configuration produces an identical file and the switch can be skipped. `active` names the
 * color an even split counts for (the one that had all traffic before).
 */
export function renderUpstreamFile(config: UpstreamConfig, target: Color | TrafficWeights, active?: Color): string {
  const weights = typeof target === "string" ? undefined : target;
  const sole = typeof target === "string" ? target : soleColor(target);
  if (sole) return renderSole(config, sole);
  const split = weights as TrafficWeights;
  const color = dominantColor(split, active) ?? "blue";
  // A user's weight= counts as that many servers of its color, so the colors' shares stay exact.
  const units = (c: Color) => config.colors[c].reduce((sum, server) => sum + userWeight(server), 0);
  const perServer = serverWeightFor(split, { blue: units("blue"), green: units("green") });
  const lines = [
    "# Managed by cutover blue-green-swap: edits here are overwritten by the next switch.",
    `# cutover:active-color=${color}`,
    `# cutover:weights=${formatWeights(split)}`,
    `upstream ${config["upstream-name"]} {`,
    ...(config["upstream-options"] ?? []).map((option) => `    ${option};`),
    ...COLORS.flatMap((c) => config.colors[c].map((server) => `    server ${withWeight(server, perServer[c])};`)),
    "}",
    "",
  ];
  return lines.join("\n");
}

function renderSole(config: UpstreamConfig, color: Color): string {
  const idle = otherColor(color);
  const lines = [
    "# Managed by cutover blue-green-swap: edits here are overwritten by the next switch.",
    `# cutover:active-color=${color}`,
    `# idle color ${idle}: ${config.colors[idle].join(", ")}`,
    `upstream ${config["upstream-name"]} {`,
    ...(config["upstream-options"] ?? []).map((option) => `    ${option};`),
    ...config.colors[color].map((server) => `    server ${server};`),
    "}",
    "",
  ];
  return lines.join("\n");
}

const WEIGHT = /(^|\s)weight=(\d+)/;

function userWeight(server: string): number {
  return Number(WEIGHT.exec(server)?.[2] ?? 1);
}

/** A server entry with the split's weight, multiplied by the `weight=` the user gave it. */
function withWeight(server: string, weight: number): string {
  if (!WEIGHT.test(server)) return `${server} weight=${weight}`;
  return server.replace(WEIGHT, `$1weight=${weight * userWeight(server)}`);
}

/** What a file says about the active color (and the shares, when split). */
export type UpstreamFileState =
  | { kind: "absent" }
  | { kind: "managed"; color: Color; weights?: TrafficWeights }
  | { kind: "unmanaged"; reason: string };

/** Reads the marker lines back; a file without one was not written by cutover. */
export function readUpstreamFile(text: string | undefined): UpstreamFileState {
  if (text === undefined) return { kind: "absent" };
  const match = MARKER.exec(text);
  if (!match) return { kind: "unmanaged", reason: "it has no '# cutover:active-color=…' marker line" };
  const color = match[1] as string;
  if (!(COLORS as readonly string[]).includes(color)) {
    return { kind: "unmanaged", reason: `its marker names '${color}', which is neither blue nor green` };
  }
  const split = WEIGHTS_MARKER.exec(text);
  if (!split) return { kind: "managed", color: color as Color };
  try {
    return { kind: "managed", color: color as Color, weights: parseWeights(split[1] as string) };
  } catch (error) {
    return { kind: "unmanaged", reason: `its weights marker is not valid: ${(error as Error).message}` };
  }
}
