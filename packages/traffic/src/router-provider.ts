import type { z } from "zod";
import type { Router } from "./router.js";

/** What createRouter passes to a provider besides the router block. */
export interface RouterContext {
  /** The `ssh-key` secret, for providers that reach a machine over ssh. */
  sshKey?: string;
  /** The `ssh-known-hosts` lines. */
  knownHosts?: string;
  /** Cancels connection set-up. */
  signal?: AbortSignal;
  /** Where temporary files (keys, sockets) go; defaults to the OS temp directory. */
  tempDir?: string;
  /**
   * Told each private temporary directory (ssh key, connection socket) the moment it exists, so
   * the action can record it for its `post:` step: a killed process cannot clean up itself.
   */
  onSecretDir?: (dir: string) => void;
  /**
   * The `router-env` secret: variables (credentials for kubectl, aws…) that commands run on the
   * runner get in their environment. Commands run over ssh do not: that host has its own.
   */
  env?: Record<string, string>;
  /**
   * The runner's own environment, where a cluster's credentials are found (KUBECONFIG,
   * KUBERNETES_SERVICE_HOST) as the cloud client libraries find them; defaults to this process's.
   */
  runnerEnv?: NodeJS.ProcessEnv;
}

/**
 * One kind of router, keyed by the `provider:` value of the router block. Adding a provider
 * (kubernetes, aws-alb) means one file implementing this and one line in provider-registry.ts;
 * the actions do not change.
 */
export interface RouterProvider<Schema extends z.ZodType = z.ZodType> {
  name: string;
  /** Validates the whole router block for this provider (including `provider:` itself). */
  schema: Schema;
  create(config: z.output<Schema>, context: RouterContext): Promise<Router>;
}

export function defineProvider<Schema extends z.ZodType>(provider: RouterProvider<Schema>): RouterProvider<Schema> {
  return provider;
}
