import type { Host } from "../host.js";
import { LocalHost } from "../local-host.js";
import { defineProvider } from "../router-provider.js";
import { openSshHost } from "../ssh-host.js";
import { NginxRouter } from "./nginx-router.js";
import { nginxRouterSchema } from "./nginx-schema.js";

export const nginxProvider = defineProvider({
  name: "nginx",
  schema: nginxRouterSchema,
  async create(config, context) {
    const host: Host = config.ssh ? await openSshHost(config.ssh, context) : new LocalHost(context.env);
    return new NginxRouter(config, host);
  },
});
