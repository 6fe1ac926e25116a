// The runner's command and file-command parsing lives once, in the sandbox executor.
export { type Annotation, parseFileCommands, parseWorkflowCommands } from "@cutover/sandbox";
