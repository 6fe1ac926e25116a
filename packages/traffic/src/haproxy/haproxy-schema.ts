import { durationValue } from "@cutover/core";
import { z } from "zod";
import { sshSchema } from "../ssh-schema.js";

/** HAProxy names (backends, servers): no spaces, '/' or ';', which the runtime API would split on. */
const haproxyName = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_.:-]+$/, { message: `${what} of letters, digits, '_', '.', ':' or '-'` });

const serverNames = z.array(haproxyName("a server name")).min(1);

const absolutePath = (example: string) => z.string().regex(/^\/[^\s'"]*$/, { message: `an absolute path, such as ${example}` });

/** The `router` block for `provider: haproxy`: servers switched through the runtime API, no reload. */
export const haproxyRouterSchema = z
  .strictObject({
    provider: z.literal("haproxy"),
    /** The stats socket with `level admin` (`stats socket /run/haproxy/admin.sock mode 660 level admin`). */
    "admin-socket": absolutePath("/run/haproxy/admin.sock"),
    backend: haproxyName("a backend name"),
    /** Server names (as in the backend's `server` lines) of each color. */
    colors: z.strictObject({ blue: serverNames, green: serverNames }),
    /** How long the old color's servers drain before they go to maintenance anyway. */
    "drain-timeout": durationValue.default(30_000),
    /** Where `show servers state` is saved after every change (HAProxy's `server-state-file`). */
    "state-file": absolutePath("/var/lib/haproxy/server-state").optional(),
    /** Upper bound for each runtime API call. */
    "command-timeout": durationValue.default(10_000),
    ssh: sshSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const blue = new Set(config.colors.blue);
    for (const [index, name] of config.colors.green.entries()) {
      if (blue.has(name)) {
        ctx.addIssue({
          code: "custom",
          path: ["colors", "green", index],
          input: name,
          message: `a server that is not also listed under blue ('${name}' is in both colors)`,
        });
      }
    }
  });

export type HaproxyRouterConfig = z.output<typeof haproxyRouterSchema>;
