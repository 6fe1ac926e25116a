const SECRET_QUERY_KEYS =
  /^(?:.*token.*|.*secret.*|.*password.*|passwd|pwd|.*api[-_]?key.*|key|sig|signature|auth|authorization|access[-_]?key.*|credential.*|x-amz-.*)$/i;
export const REDACTED = "***";

/** Hides the password (and user) of a URL and the values of query parameters that look like secrets. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL we can parse: still strip anything that looks like `user:pass@`.
    return raw.replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`);
  }
  if (url.password) url.password = REDACTED;
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) url.searchParams.set(key, REDACTED);
  }
  // URLSearchParams encodes '*'; keep the marker readable.
  return url.toString().replaceAll("%2A%2A%2A", REDACTED);
}

/** Remembers secret values and scrubs them from any text that leaves the process. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    // Very short values would shred ordinary text; the runner ignores them too.
    if (value.length < 3) return;
    this.secrets.add(value);
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 3) this.secrets.add(line.trim());
  }

  get values(): readonly string[] {
    return [...this.secrets];
  }

  redact(text: string): string {
    let out = text;
    // Longest first so a secret that contains another is hidden whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
