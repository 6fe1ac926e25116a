import { durationValue } from "@cutover/core";
import { z } from "zod";

/**
 * The `router` block for `provider: command`: any platform driven by a CLI (kubectl, aws,
 * az, gcloud). The commands run with /bin/sh on the runner.
 */
export const commandRouterSchema = z.strictObject({
  provider: z.literal("command"),
  /** Moves traffic; gets CUTOVER_COLOR and CUTOVER_PREVIOUS_COLOR in its environment. */
  "switch-command": z.string().min(1),
  /** Prints the active color (`blue` or `green`) as its last line of output. */
  "status-command": z.string().min(1),
  /** Upper bound for each command. */
  "command-timeout": durationValue.default(60_000),
});

export type CommandRouterConfig = z.output<typeof commandRouterSchema>;
