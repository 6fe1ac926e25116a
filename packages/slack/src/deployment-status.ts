/** Where a deployment stands; each has its own emoji and headline. */
export const DEPLOYMENT_STATUSES = ["started", "success", "failure", "cancelled", "rolled-back", "info"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const STATUS_EMOJI: Record<DeploymentStatus, string> = {
  started: "🚀",
  success: "✅",
  failure: "❌",
  cancelled: "⏹️",
  "rolled-back": "↩️",
  info: "ℹ️",
};

/** Statuses that page the `mention` and show what failed. */
export function needsAttention(status: DeploymentStatus): boolean {
  return status === "failure" || status === "rolled-back";
}
