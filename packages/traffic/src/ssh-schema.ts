import { durationValue } from "@cutover/core";
import { z } from "zod";

/** The optional `ssh:` block of a router: manage a remote machine with the system ssh client. */
export const sshSchema = z.strictObject({
  host: z
    .string()
    .min(1)
    .regex(/^[^\s-][^\s]*$/, { message: "a host name or address (no spaces, not starting with -)" }),
  user: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*$/, { message: "a user name" })
    .optional(),
  port: z.number().int().min(1).max(65_535).default(22),
  /** `yes` (default) checks the host key against `ssh-known-hosts`; `accept-new` trusts a first key. */
  "strict-host-key-checking": z.enum(["yes", "accept-new"]).default("yes"),
  "connect-timeout": durationValue.default(10_000),
});

export type SshConfig = z.output<typeof sshSchema>;
