import { formatIssuePath } from "@cutover/core";
import { ZodError } from "zod";
import { LedgerError } from "./errors.js";

/** A payload that does not fit the record schema, said field by field. */
export function payloadError(error: unknown): Error {
  if (!(error instanceof ZodError)) return error as Error;
  const details = error.issues.map((issue) => `${formatIssuePath(issue.path) || "payload"}: ${issue.message}`).join("; ");
  return new LedgerError(`deployment payload is invalid: ${details}`);
}
