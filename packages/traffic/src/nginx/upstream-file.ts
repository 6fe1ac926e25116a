import { COLORS, type Color, otherColor } from "../color.js";
import type { NginxRouterConfig } from "./nginx-schema.js";

const MARKER = /^# cutover:active-color=(\S*)\s*$/m;

/**
 * The whole managed upstream file for `color`. Rendering is deterministic (no timestamps) so
 * an unchanged configuration produces an identical file and the switch can be skipped.
 */
export function renderUpstreamFile(config: Pick<NginxRouterConfig, "upstream-name" | "colors" | "upstream-options">, color: Color): string {
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

/** What a file says about the active color. */
export type UpstreamFileState = { kind: "absent" } | { kind: "managed"; color: Color } | { kind: "unmanaged"; reason: string };

/** Reads the marker line back; a file without one was not written by cutover. */
export function readUpstreamFile(text: string | undefined): UpstreamFileState {
  if (text === undefined) return { kind: "absent" };
  const match = MARKER.exec(text);
  if (!match) return { kind: "unmanaged", reason: "it has no '# cutover:active-color=…' marker line" };
  const color = match[1] as string;
  if (!(COLORS as readonly string[]).includes(color)) {
    return { kind: "unmanaged", reason: `its marker names '${color}', which is neither blue nor green` };
  }
  return { kind: "managed", color: color as Color };
}
