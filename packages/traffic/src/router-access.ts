import { secretStructuredInput, textInput } from "@cutover/core";
import { createRouter, type RouterConfig } from "./provider-registry.js";
import type { Router } from "./router.js";
import { routerEnvSchema } from "./router-env.js";

/**
 * The inputs besides `router` that reach a router — ssh credentials and the router's command
 * environment — shared by every action that drives one, so their names and checks never drift.
 */
export const routerAccessInputs = {
  "ssh-key": textInput().optional(),
  "ssh-known-hosts": textInput().optional(),
  "router-env": secretStructuredInput(routerEnvSchema).optional(),
};

/** Which of those inputs are secrets, for the action's secretInputs. */
export const routerAccessSecrets = ["ssh-key", "router-env"] as const;

export interface RouterAccess {
  "ssh-key"?: string | undefined;
  "ssh-known-hosts"?: string | undefined;
  "router-env"?: Record<string, string> | undefined;
}

/** createRouter with the context an action's inputs give it. */
export function openRouter(
  config: RouterConfig,
  access: RouterAccess,
  options: { signal?: AbortSignal; tempDir?: string; onSecretDir?: (dir: string) => void },
): Promise<Router> {
  return createRouter(config, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(access["ssh-key"] ? { sshKey: access["ssh-key"] } : {}),
    ...(access["ssh-known-hosts"] ? { knownHosts: access["ssh-known-hosts"] } : {}),
    ...(access["router-env"] ? { env: access["router-env"] } : {}),
    ...(options.tempDir ? { tempDir: options.tempDir } : {}),
    ...(options.onSecretDir ? { onSecretDir: options.onSecretDir } : {}),
  });
}
