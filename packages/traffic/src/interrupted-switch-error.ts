import { RouterError } from "./router-error.js";

/**
 * A router refused to name its active color because an earlier switch was killed half way:
 * what it would report may not be what it serves. A switch to an explicit color settles it.
 */
export class InterruptedSwitchError extends RouterError {
  override name = "InterruptedSwitchError";

  constructor(message: string) {
    super(message, { step: "status", unchanged: true });
  }
}
