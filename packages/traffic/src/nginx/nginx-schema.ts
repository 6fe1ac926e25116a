import { durationValue } from "@cutover/core";
import { z } from "zod";
import { sshSchema } from "../ssh-schema.js";

/**
 * One `server` line of an upstream: an address with optional nginx parameters, e.g.
 * `10.0.0.5:8080` or `10.0.0.5:8080 weight=3 max_fails=2`. No `;`, braces or `#`, so a
 * value can never break out of the block it is written into.
 */
const serverEntry = z.string().regex(/^[^\s;{}#'"]+(?:\s+[a-z_]+(?:=[^\s;{}#'"]+)?)*$/, {
  message: "an address such as 10.0.0.5:8080, optionally followed by nginx server parameters (weight=2, max_fails=3)",
});

const serverList = z.array(serverEntry).min(1);

/** A directive placed inside the upstream block before the servers, e.g. `keepalive 32`. */
const upstreamOption = z
  .string()
  .regex(/^[a-z_]+(?:\s+[^\s;{}#]+)*$/, { message: "an upstream directive without its ';', such as keepalive 32 or least_conn" });

/** The `router` block for `provider: nginx`. */
export const nginxRouterSchema = z.strictObject({
  provider: z.literal("nginx"),
  /** The file cutover owns; the user's server config includes it and proxies to the upstream. */
  "upstream-file": z.string().regex(/^\//, { message: "an absolute path, such as /etc/nginx/conf.d/app-upstream.conf" }),
  "upstream-name": z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { message: "an upstream name of letters, digits, '_', '.' or '-'" })
    .default("app"),
  colors: z.strictObject({ blue: serverList, green: serverList }),
  "upstream-options": z.array(upstreamOption).optional(),
  "test-command": z.string().min(1).default("nginx -t"),
  "reload-command": z.string().min(1).default("nginx -s reload"),
  /** Upper bound for each of test-command and reload-command. */
  "command-timeout": durationValue.default(30_000),
  ssh: sshSchema.optional(),
});

export type NginxRouterConfig = z.output<typeof nginxRouterSchema>;
