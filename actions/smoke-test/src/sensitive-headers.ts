import type { Redactor } from "@cutover/core";
import type { CheckSpec } from "@cutover/http-checks";
import { maskSecret } from "@cutover/runner";

const SENSITIVE = /^(?:authorization|proxy-authorization|cookie|x-api-key|api-key)$|token|secret|password|session/i;

/** Checks may carry their own credentials; those header values are masked like the `headers` input. */
export function maskCheckCredentials(checks: readonly CheckSpec[], redactor: Redactor): void {
  for (const check of checks) {
    for (const [name, value] of Object.entries(check.headers ?? {})) {
      if (SENSITIVE.test(name)) maskSecret(value, redactor);
    }
  }
}
