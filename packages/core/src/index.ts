export {
  type Annotation,
  type CommandLine,
  formatCommand,
  formatFileCommand,
  inputVariable,
  parseCommandLine,
  parseFileCommands,
  parsePathFile,
  parseWorkflowCommands,
} from "./action-protocol.js";
export { cancellationSignal, withDeadline } from "./cancellation.js";
export { type ColorUrl, colorUrlInput, fillColorUrl, namesEachColor, unfilledColorUrlIssues } from "./color-url.js";
export { describeValue, formatIssuePath, toConfigIssues } from "./config-issues.js";
export { definedEntries } from "./defined-entries.js";
export { formatDuration, parseDuration } from "./duration.js";
export {
  CancelledError,
  ConfigError,
  type ConfigIssue,
  CutoverError,
  type FailureKind,
  failureKind,
  formatConfigIssue,
  GateFailedError,
  type GateFinding,
} from "./errors.js";
export {
  expandPlaceholders,
  missingPlaceholders,
  PLACEHOLDERS,
  type Placeholder,
  type PlaceholderValues,
  placeholdersIn,
  placeholderValuesOf,
} from "./expand-placeholders.js";
export { findExecutable } from "./find-executable.js";
export { type GitHubContext, runUrl } from "./github-context.js";
export {
  booleanInput,
  choiceInput,
  durationInput,
  durationOrZeroValue,
  durationValue,
  httpUrl,
  integerInput,
  MAX_DURATION_MS,
  regexText,
  structuredInput,
  textInput,
  urlInput,
} from "./input-fields.js";
export { processEnvironment } from "./process-environment.js";
export { encodedForms, REDACTED, Redactor, redactUrl } from "./redaction.js";
export { backoffDelay, type RetryOptions, retry } from "./retry.js";
export {
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_MAX_OUTPUT_CHARS,
  describeExit,
  outputTail,
  type ProcessOptions,
  type ProcessResult,
  runProcess,
  signalProcessGroup,
} from "./run-process.js";
export { secretStructuredInput } from "./secret-structured-input.js";
export { abortReason, sleep } from "./sleep.js";
export { fillUrlInput, fillUrlTemplate, isUrlTemplate, unfilledUrlIssues, urlPath, urlTemplate, urlTemplateInput } from "./url-template.js";
