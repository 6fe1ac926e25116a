export { type ActionInputs, type ActionSpec, defineAction } from "./action-spec.js";
export { readGitHubContext } from "./github-context.js";
export { type AnnotationProperties, actionsLogger, type Logger } from "./logger.js";
export { cell, table } from "./markdown.js";
export { maskLeaves, maskSecret } from "./masking.js";
export { setOutputs, setReport, writeSummary } from "./outputs.js";
export { readInputs } from "./read-inputs.js";
export { type ActionContext, reportFailure, runAction } from "./run-action.js";
export { takeSummarySections } from "./summary-sections.js";
