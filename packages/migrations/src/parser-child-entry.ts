// What a bundle's entry point needs to serve as the PostgreSQL parser child, and nothing more:
// imported on its own (not through the package index) so the child starts without loading the
// rest of the action — the child's start-up is on the critical path of every lint.
export { isParserChild } from "./postgres-parser-process.js";
export { runParserChild } from "./postgres-statements.js";
