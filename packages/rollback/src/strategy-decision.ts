import type { DeploymentRecord } from "@cutover/ledger";
import type { ColorProbe } from "@cutover/traffic";
import type { RollbackSelection } from "./choose-target.js";
import { RollbackBlockedError } from "./rollback-errors.js";

export type RequestedStrategy = "auto" | "traffic" | "redeploy";

export interface StrategyDecision {
  strategy: "traffic" | "redeploy";
  /** traffic: the color to switch back to; redeploy: the idle color to deploy the target to. */
  color?: string;
  /** The color serving now, as far as the ledger knows. */
  liveColor?: string;
  reason: string;
}

/**
 * traffic when the target's color still runs the target version (no later deployment went to
 * that color, or the probe of that color reports the target version); otherwise redeploy.
 */
export function decideStrategy(
  records: readonly DeploymentRecord[],
  selection: RollbackSelection,
  requested: RequestedStrategy,
  probe?: ColorProbe,
): StrategyDecision {
  const { target } = selection;
  const liveColor = liveColorOf(records, selection);
  const idle = liveColor ? partnerColor(liveColor, records) : undefined;
  const traffic = trafficViability(records, target, probe);
  if (requested === "redeploy") {
    return {
      strategy: "redeploy",
      ...(idle ? { color: idle } : {}),
      ...(liveColor ? { liveColor } : {}),
      reason: "strategy redeploy requested",
    };
  }
  if (traffic.ok) {
    return { strategy: "traffic", color: traffic.color, ...(liveColor ? { liveColor } : {}), reason: traffic.reason };
  }
  if (requested === "traffic") {
    throw new RollbackBlockedError(`traffic rollback to ${target.payload.version} is not possible: ${traffic.reason}`, [
      {
        subject: "strategy traffic",
        measured: traffic.reason,
        expected: `a color still running ${target.payload.version}; use strategy redeploy or auto`,
      },
    ]);
  }
  return {
    strategy: "redeploy",
    ...(idle ? { color: idle } : {}),
    ...(liveColor ? { liveColor } : {}),
    reason: `redeploy because ${traffic.reason}`,
  };
}

function trafficViability(
  records: readonly DeploymentRecord[],
  target: DeploymentRecord,
  probe?: ColorProbe,
): { ok: true; color: string; reason: string } | { ok: false; reason: string } {
  const color = target.payload.color;
  if (!color) return { ok: false, reason: `the ledger does not say which color ${target.payload.version} ran on` };
  if (probe && probe.color === color) {
    if (!probe.reachable) return { ok: false, reason: `the ${color} color did not answer its verify URL` };
    if (probe.version !== undefined && probe.version !== target.payload.version) {
      return { ok: false, reason: `the ${color} color reports version ${probe.version}, not ${target.payload.version}` };
    }
    if (probe.version === target.payload.version) return { ok: true, color, reason: `the ${color} color reports ${probe.version}` };
  }
  const overwritten = records.find(
    (r) => r.id > target.id && r.environment === target.environment && r.payload.color === color && r.payload.sha !== target.payload.sha,
  );
  if (overwritten) {
    return {
      ok: false,
      reason: `#${overwritten.id} (${overwritten.payload.version}, ${overwritten.state}) was deployed to ${color} since`,
    };
  }
  return { ok: true, color, reason: `the ${color} color still runs ${target.payload.version} (per the ledger)` };
}

/** The color serving now as far as the ledger knows: the latest success's, else what `from` replaced. */
function liveColorOf(records: readonly DeploymentRecord[], selection: RollbackSelection): string | undefined {
  const live = records.find((r) => r.environment === selection.from.environment && r.state === "success");
  return live?.payload.color ?? selection.from.payload.replacedColor ?? selection.from.payload.color;
}

/** The partner color: from the ledger's color/replacedColor pairs, else blue ↔ green. */
export function partnerColor(color: string, records: readonly DeploymentRecord[] = []): string | undefined {
  for (const r of records) {
    if (r.payload.color === color && r.payload.replacedColor && r.payload.replacedColor !== color) return r.payload.replacedColor;
    if (r.payload.replacedColor === color && r.payload.color && r.payload.color !== color) return r.payload.color;
  }
  if (color === "blue") return "green";
  if (color === "green") return "blue";
  return undefined;
}
