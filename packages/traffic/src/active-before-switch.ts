import type { Color } from "./color.js";
import { InterruptedSwitchError } from "./interrupted-switch-error.js";
import type { Router, RouterCallOptions } from "./router.js";

/** The active color a switch starts from, and what a person should know about it. */
export interface ActiveBeforeSwitch {
  active: Color | undefined;
  warning?: string;
}

/**
 * The router's active color before a switch to `to`. When an earlier switch was interrupted the
 * active color is unknown: a switch to a named color settles it (the router writes, tests and
 * reloads whatever the file held), so it goes ahead with no previous color; `idle` has nothing
 * to be the other of and refuses with the router's explanation.
 */
export async function activeBeforeSwitch(router: Router, to: "idle" | Color, options: RouterCallOptions = {}): Promise<ActiveBeforeSwitch> {
  try {
    return { active: await router.status(options) };
  } catch (error) {
    if (!(error instanceof InterruptedSwitchError) || to === "idle") throw error;
    return {
      active: undefined,
      warning: `${error.message.split(". To resolve it")[0]}. Switching to ${to} as asked settles it: nothing will be reverted to an unknown color.`,
    };
  }
}
