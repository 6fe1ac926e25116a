import type { Redactor } from "@cutover/core";
import { maskSecret } from "@cutover/runner";

/** Masks a database URL's password on its own too, raw and decoded (the input itself is masked on read): tools and errors echo it alone. */
export function maskDatabaseUrl(url: string, redactor: Redactor): void {
  try {
    const password = new URL(url).password;
    if (password) {
      maskSecret(password, redactor);
      maskSecret(decodeURIComponent(password), redactor);
    }
  } catch {
    // Not a URL: the whole value is masked already.
  }
}
