export { type ActionInputs, type ActionSpec, defineAction } from "./action-spec.js";
export { cell, table } from "./markdown.js";
export { maskLeaves, maskSecret } from "./masking.js";
export { setOutputs, setReport, writeSummary } from "./outputs.js";
export { recordedSecretDirs, runPostStep, secretDirRecorder } from "./post-state.js";
export { inputVariable, readInputs } from "./read-inputs.js";
export { type ActionContext, reportFailure, runAction } from "./run-action.js";
