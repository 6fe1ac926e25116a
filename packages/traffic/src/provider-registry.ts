import { z } from "zod";
import { awsAlbProvider } from "./aws-alb/aws-alb-provider.js";
import { commandProvider } from "./command/command-provider.js";
import { haproxyProvider } from "./haproxy/haproxy-provider.js";
import { kubernetesProvider } from "./kubernetes/kubernetes-provider.js";
import { nginxProvider } from "./nginx/nginx-provider.js";
import type { Router } from "./router.js";
import type { RouterContext, RouterProvider } from "./router-provider.js";

/** Every provider a router block may name. Add new providers here. */
const providers = [nginxProvider, haproxyProvider, commandProvider, kubernetesProvider, awsAlbProvider] as const;

const names = providers.map((p) => p.name) as [string, ...string[]];

/**
 * The `router` block shared by blue-green-swap, rollback and the reusable workflows. The
 * provider is checked first so an unknown one gets a plain "one of nginx, haproxy, command" message.
 */
export const routerSchema = z
  .looseObject({ provider: z.enum(names) })
  .pipe(
    z.discriminatedUnion("provider", [
      nginxProvider.schema,
      haproxyProvider.schema,
      commandProvider.schema,
      kubernetesProvider.schema,
      awsAlbProvider.schema,
    ]),
  );

export type RouterConfig = z.output<typeof routerSchema>;

/** The provider names a router block may use. */
export const routerProviderNames: readonly string[] = names;

/** Opens the router a (validated) block describes. Call `close()` on it when done. */
export async function createRouter(config: RouterConfig, context: RouterContext = {}): Promise<Router> {
  const provider = providers.find((p) => p.name === config.provider) as RouterProvider | undefined;
  if (!provider) throw new Error(`no router provider named ${config.provider}`);
  return provider.create(config, context);
}
