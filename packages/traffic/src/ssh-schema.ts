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
  /**
   * Always `yes`: the host key must match `ssh-known-hosts`. `accept-new` is refused because the
   * known_hosts file starts empty on every run, so it would trust whatever key the host offered.
   */
  "strict-host-key-checking": z
    .custom<"yes">((value) => value === "yes", {
      message:
        "yes, the only mode: accept-new trusted whatever key the host offered (known_hosts starts empty on every run); remove the key and give the host's key in ssh-known-hosts (from `ssh-keyscan -p PORT HOST` run on a network you trust)",
    })
    .default("yes"),
  "connect-timeout": durationValue.default(10_000),
});

export type SshConfig = z.output<typeof sshSchema>;
