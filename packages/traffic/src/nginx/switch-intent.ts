import { basename, dirname, join } from "node:path";

/**
 * A switch in flight, written beside the upstream file before it is replaced and removed once
 * nginx has reloaded it. Found on a later call, it means a switch was killed between those two
 * points: the file names one color while nginx may still serve the other.
 */
export interface SwitchIntent {
  /** What the file said before (`blue`, `green`, a split, or `none`). */
  from: string;
  /** What the switch was writing. */
  to: string;
  /** ISO 8601, when the switch started writing. */
  started: string;
  /** Who wrote it (host, pid). */
  owner: string;
}

const HEADER = "# cutover:switch-intent";

/** Names that never match an `include conf.d/*.conf` glob (leading dot, no .conf suffix). */
export function intentPathOf(upstreamFile: string): string {
  return join(dirname(upstreamFile), `.${basename(upstreamFile)}.cutover-intent`);
}

export function lockPathOf(upstreamFile: string): string {
  return join(dirname(upstreamFile), `.${basename(upstreamFile)}.cutover-lock`);
}

export function renderIntent(intent: SwitchIntent): string {
  return `${HEADER}\nfrom=${intent.from}\nto=${intent.to}\nstarted=${intent.started}\nowner=${intent.owner}\n`;
}

/** The intent a file holds; a file that exists but cannot be read back still counts as pending. */
export function readIntent(text: string | undefined): SwitchIntent | undefined {
  if (text === undefined) return undefined;
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(text)?.[1]?.trim() || "unknown";
  return { from: field("from"), to: field("to"), started: field("started"), owner: field("owner") };
}
