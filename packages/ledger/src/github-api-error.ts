import { LedgerApiError } from "./errors.js";

interface HttpishError {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

/** True when the error came back from the server with an HTTP status (Octokit's RequestError). */
export function httpStatusOf(error: unknown): number | undefined {
  // Octokit reports a network failure as status 500 without a response: that is no answer at all.
  const e = error as HttpishError | undefined;
  return typeof e?.status === "number" && e.status >= 400 && e.response !== undefined ? e.status : undefined;
}

/** Rate limited: GitHub says so with 403 or 429 and `x-ratelimit-remaining: 0` or a rate-limit message. */
export function isRateLimited(error: unknown): boolean {
  const e = error as HttpishError;
  if (e?.status !== 403 && e?.status !== 429) return false;
  const remaining = e.response?.headers?.["x-ratelimit-remaining"];
  return String(remaining) === "0" || /rate limit/i.test(apiMessage(e) ?? "") || e.response?.headers?.["retry-after"] !== undefined;
}

function apiMessage(error: HttpishError): string | undefined {
  const data = error.response?.data;
  if (data && typeof data === "object" && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return undefined;
}

/** Turns an API failure into one sentence that says what was asked, what came back and what to check. */
export function describeApiError(error: unknown, route: string, attempts: number): LedgerApiError {
  const e = error as HttpishError;
  const status = httpStatusOf(error);
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : "";
  if (status === undefined) {
    return new LedgerApiError(`GitHub API ${route} failed${tries}: ${e?.message ?? String(error)}`, undefined, route);
  }
  const message = (apiMessage(e) ?? e.message ?? "").split("\n").filter(Boolean).join(" ");
  const details = validationDetails(e.response?.data);
  let hint = "";
  if (status === 401) hint = "; the token is missing, expired or wrong (input 'github-token')";
  else if (isRateLimited(error)) {
    const reset = Number(e.response?.headers?.["x-ratelimit-reset"]);
    const retryAfter = e.response?.headers?.["retry-after"];
    hint = Number.isFinite(reset)
      ? `; rate limited until ${new Date(reset * 1000).toISOString()}`
      : retryAfter !== undefined
        ? `; rate limited, retry after ${retryAfter}s`
        : "; rate limited";
  } else if (status === 403) hint = "; the token needs the 'deployments: write' permission on this repository";
  else if (status === 404) hint = "; check the repository name and that the token can see it";
  return new LedgerApiError(`GitHub API ${route} answered ${status} ${message}${details}${hint}${tries}`, status, route);
}

function validationDetails(data: unknown): string {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return "";
  const parts = errors.map((item) => {
    if (typeof item === "string") return item;
    const { field, code, message } = item as { field?: string; code?: string; message?: string };
    return message ?? [field, code].filter(Boolean).join(" ");
  });
  return ` (${parts.join("; ")})`;
}
