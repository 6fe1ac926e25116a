export { type AssertionFailure, evaluateExpect } from "./assertions.js";
export { type CheckSpec, checkListSchema, checkSchema } from "./check-schema.js";
export { type Expect, expectSchema, statusPattern } from "./expect-schema.js";
export { HttpClient, type HttpRequest, HttpTransportError } from "./http-client.js";
export type { HttpResponse } from "./http-response.js";
export { parseJsonPath, readJsonPath } from "./json-path.js";
export { type LoadSpec, loadSchema } from "./load-schema.js";
export { type LoadResult, runLoad } from "./load-test.js";
export { mapConcurrent } from "./map-concurrent.js";
export { percentile } from "./percentiles.js";
export {
  describeProbe,
  pollReadiness,
  type ReadinessOptions,
  type ReadinessOutcome,
  type ReadinessProbe,
  type ReadinessResult,
  type ReadinessState,
} from "./readiness.js";
export { type CheckDefaults, joinUrl, type ResolvedCheck, resolveCheck } from "./resolve-checks.js";
export { type AttemptResult, type CheckResult, type RunChecksOptions, runCheck, runChecks } from "./run-checks.js";
export { matchesExpected } from "./text-matcher.js";
