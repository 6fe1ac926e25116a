import { ConfigError } from "@cutover/core";
import type { Host } from "../host.js";
import { LocalHost } from "../local-host.js";
import { defineProvider } from "../router-provider.js";
import { SshHost } from "../ssh-host.js";
import { NginxRouter } from "./nginx-router.js";
import { nginxRouterSchema } from "./nginx-schema.js";

export const nginxProvider = defineProvider({
  name: "nginx",
  schema: nginxRouterSchema,
  async create(config, context) {
    let host: Host = new LocalHost(context.env);
    if (config.ssh) {
      const ssh = config.ssh;
      if (ssh["strict-host-key-checking"] === "yes" && !context.knownHosts?.trim()) {
        throw ConfigError.single({
          input: "ssh-known-hosts",
          path: "",
          expected: `the known_hosts line(s) of ${ssh.host} (e.g. from \`ssh-keyscan -p ${ssh.port} ${ssh.host}\`), because router.ssh checks host keys; or set router.ssh.strict-host-key-checking: accept-new`,
        });
      }
      host = await SshHost.open(ssh, {
        ...(context.sshKey ? { privateKey: context.sshKey } : {}),
        ...(context.knownHosts ? { knownHosts: context.knownHosts } : {}),
        ...(context.tempDir ? { tempDir: context.tempDir } : {}),
      });
    }
    return new NginxRouter(config, host);
  },
});
