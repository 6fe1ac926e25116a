import type { Redactor } from "@cutover/core";
import { addMask } from "./workflow-commands.js";

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest)\s+(.+)$/i;

/** Masks a secret in the runner's log and remembers it for our own redaction. */
export function maskSecret(value: string, redactor: Redactor): void {
  const pieces = new Set<string>([value, ...value.split(/\r?\n/).map((line) => line.trim())]);
  // An Authorization value is often logged without its scheme: hide the credential alone too.
  const credential = AUTH_SCHEME.exec(value.trim())?.[1];
  if (credential) pieces.add(credential);
  for (const piece of pieces) {
    if (piece.length < 3) continue;
    addMask(piece);
    redactor.add(piece);
  }
}

/** Masks every string found inside a parsed structured secret (e.g. a headers map). */
export function maskLeaves(value: unknown, redactor: Redactor): void {
  if (typeof value === "string") maskSecret(value, redactor);
  else if (Array.isArray(value)) for (const item of value) maskLeaves(item, redactor);
  else if (value && typeof value === "object") for (const item of Object.values(value)) maskLeaves(item, redactor);
}
