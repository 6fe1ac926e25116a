import type { DeploymentRecord } from "@cutover/ledger";

/**
 * The workflow inputs (deploy.yml's names) a deployment records so that a later rollback of or
 * to it needs only environment, router and secrets. Data only: versions, URLs, paths, checks.
 * Secrets never reach this list, and neither do commands (deploy, migrations version/down,
 * restore): anyone who may write deployments may write a record, so the ledger is data, never
 * code. A rollback runs only the commands its own caller's workflow file gives it.
 */
export const REDEPLOY_SETTINGS = [
  "public-url",
  "idle-url",
  "checks",
  "health-url",
  "health-expect",
  "health-deadline",
  "verify-path",
  "verify-expect",
  "migrations-dir",
] as const;
export type RedeploySetting = (typeof REDEPLOY_SETTINGS)[number];

/** The settings that move the schema: the newest deployment's (its files know the newest migrations) win. */
const MIGRATION_SETTINGS: ReadonlySet<string> = new Set(["migrations-dir"]);

/** A GitHub Deployment's payload should stay small: one setting, and all of them, at most this long. */
export const MAX_SETTING_CHARS = 4_096;
export const MAX_SETTINGS_CHARS = 16_384;

/**
 * What a deployment records of its workflow's inputs (`${{ toJSON(inputs) }}`): the non-empty
 * redeploy settings, each and all within the size limits; what does not fit is left out and said.
 */
export function recordedSettings(inputs: Record<string, unknown>, warn: (line: string) => void): Record<string, string> {
  const settings: Record<string, string> = {};
  let total = 0;
  const left: string[] = [];
  for (const name of REDEPLOY_SETTINGS) {
    const value = inputs[name];
    if (value === undefined || value === null || value === "") continue;
    const text = String(value);
    if (text.length > MAX_SETTING_CHARS || total + text.length > MAX_SETTINGS_CHARS) {
      left.push(`${name} (${text.length} characters)`);
      continue;
    }
    settings[name] = text;
    total += text.length;
  }
  if (left.length > 0) {
    warn(
      `record: not recorded, too long for the deployment record (${MAX_SETTING_CHARS} characters each, ${MAX_SETTINGS_CHARS} in all): ${left.join(", ")}; a rollback needs them as its own inputs`,
    );
  }
  return settings;
}

/**
 * The settings a rollback runs with: what its caller gave, else what the deployments recorded.
 * Only REDEPLOY_SETTINGS are read: a command an older record carries is ignored, never run.
 * Checks and URLs come from the target (they describe the release going back); migration
 * settings from the deployment being rolled back (its tool knows the revisions to undo).
 */
export function effectiveSettings(
  given: Readonly<Record<string, string>>,
  target: DeploymentRecord,
  from: DeploymentRecord,
): Partial<Record<RedeploySetting, string>> {
  const settings: Partial<Record<RedeploySetting, string>> = {};
  for (const name of REDEPLOY_SETTINGS) {
    const [first, second] = MIGRATION_SETTINGS.has(name) ? [from, target] : [target, from];
    const value = given[name] || first.payload.settings?.[name] || second.payload.settings?.[name];
    if (value) settings[name] = value;
  }
  // As in deploy.yml: the health endpoint defaults to the color's own URL.
  if (!settings["health-url"] && settings["idle-url"]) settings["health-url"] = settings["idle-url"];
  return settings;
}
