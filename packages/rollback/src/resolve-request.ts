import { ConfigError, structuredInput, toConfigIssues } from "@cutover/core";
import { type Expect, expectSchema, joinUrl } from "@cutover/http-checks";
import type { RollbackSelection } from "./choose-target.js";
import { effectiveSettings, type RedeploySetting } from "./redeploy-settings.js";
import type { RollbackRequest } from "./rollback-request.js";

/** How long the switched-back color has to pass verification when the caller did not say (the action's default). */
const VERIFY_TIMEOUT_MS = 30_000;

export interface ResolvedRequest {
  request: RollbackRequest;
  /** The settings the rollback (and a redeploy after it) runs with: given, else recorded. */
  settings: Partial<Record<RedeploySetting, string>>;
}

/**
 * Fills what the caller left empty from the deployments' recorded settings, once the target is
 * known: the public URL and expect block that verify the switch, and the migrations directory.
 */
export function resolveRequest(request: RollbackRequest, selection: RollbackSelection): ResolvedRequest {
  const settings = effectiveSettings(request.settings ?? {}, selection.target, selection.from);
  const url = withVerifyPath(request.verify?.url ?? settings["public-url"], settings["verify-path"]);
  const expect = request.verify?.expect ?? recordedExpect(settings["verify-expect"], selection.target.id);
  const down = request.migrateDown;
  const resolved: RollbackRequest = {
    ...request,
    ...(url
      ? {
          verify: {
            url,
            ...(expect ? { expect } : {}),
            timeoutMs: request.verify?.timeoutMs ?? request.verifyTimeoutMs ?? VERIFY_TIMEOUT_MS,
          },
        }
      : {}),
    ...(down
      ? {
          // A path may come from the ledger; commands only from the caller (the ledger is data, never code).
          migrateDown: { ...down, dir: down.dir ?? settings["migrations-dir"] },
        }
      : {}),
  };
  return { request: resolved, settings };
}

/** A recorded expect block, checked again with the same schema (it was valid when recorded). */
function recordedExpect(text: string | undefined, recordId: number): Expect | undefined {
  if (!text) return undefined;
  const parsed = structuredInput(expectSchema).safeParse(text);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    toConfigIssues("verify-expect", text, parsed.error.issues).map((issue) => ({
      ...issue,
      expected: `${issue.expected} (the verify-expect recorded with #${recordId}; give verify-expect to override it)`,
    })),
  );
}

/** The verify path (given to rollback.yml, or recorded by deploy.yml) on a URL that names no path of its own. */
function withVerifyPath(url: string | undefined, path: string | undefined): string | undefined {
  if (!url || !path) return url;
  const parsed = new URL(url);
  return parsed.pathname === "/" && !parsed.search ? joinUrl(url, path) : url;
}
