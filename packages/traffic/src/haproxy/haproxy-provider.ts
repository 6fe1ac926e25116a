import type { Host } from "../host.js";
import { LocalHost } from "../local-host.js";
import { defineProvider } from "../router-provider.js";
import { openSshHost } from "../ssh-host.js";
import { HaproxyRouter } from "./haproxy-router.js";
import { haproxyRouterSchema } from "./haproxy-schema.js";
import { LocalRuntimeApi, RemoteRuntimeApi, type RuntimeApi } from "./runtime-api.js";

export const haproxyProvider = defineProvider({
  name: "haproxy",
  schema: haproxyRouterSchema,
  async create(config, context) {
    let host: Host = new LocalHost(context.env);
    let api: RuntimeApi = new LocalRuntimeApi(config["admin-socket"]);
    if (config.ssh) {
      host = await openSshHost(config.ssh, context);
      api = new RemoteRuntimeApi(host, config["admin-socket"]);
    }
    return new HaproxyRouter(config, api, host);
  },
});
