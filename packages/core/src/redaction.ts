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
  /** The secrets longest first, sorted again only when one was added (the set only grows): every log line is redacted. */
  private longestFirst: string[] = [];

  add(value: string | undefined): void {
    if (!value) return;
    // Very short values would shred ordinary text; the runner ignores them too.
    if (value.length < 3) return;
    for (const form of encodedForms(value)) this.secrets.add(form);
    for (const line of value.split(/\r?\n/)) {
      if (line.trim().length >= 3) for (const form of encodedForms(line.trim())) this.secrets.add(form);
    }
  }

  get values(): readonly string[] {
    return [...this.secrets];
  }

  /** Redacts every string inside a value (keys too), so what is serialised afterwards holds no secret in any escaping. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    // Serialise the way JSON.stringify would (URL, Date...) before walking.
    const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
    if (typeof toJSON === "function") return this.redactDeep(toJSON.call(value)) as T;
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item)) as T;
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.redactDeep(item);
      return out as T;
    }
    return value;
  }

  redact(text: string): string {
    // Longest first so a secret that contains another is hidden whole.
    if (this.longestFirst.length !== this.secrets.size) this.longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.longestFirst) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

/**
 * The forms a secret takes once something escapes it: JSON string escaping, URL encoding (both
 * flavours) and base64 at each of the three byte alignments, as the Actions runner's masker does.
 */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  for (const form of base64Forms(value)) forms.add(form);
  return [...forms].filter((form) => form.length >= 3);
}

/** Base64 of a value that may sit at any offset inside a longer encoded text: only the characters it alone decides. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    // Leading characters mix in the bytes before; the last one mixes in the bytes after unless aligned.
    const start = shift === 0 ? 0 : shift + 1;
    const end = (shift + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    const form = encoded.slice(start, end);
    // Short base64 fragments match ordinary text by chance.
    if (form.length >= 6) forms.push(form);
  }
  return forms;
}
