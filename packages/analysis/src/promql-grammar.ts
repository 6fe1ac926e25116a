import type { LRParser } from "@lezer/lr";

let loading: Promise<LRParser> | undefined;
let loaded: LRParser | undefined;

/**
 * Loads the official PromQL grammar (the lezer stack, ~200 KiB) once. The bundler puts it in a
 * chunk of its own, read only by runs that parse PromQL (issue 19: every step paid for compiling
 * it at start-up). The runner awaits it before reading the inputs that need it (`analysisPreloads`).
 */
export function loadPromqlGrammar(): Promise<LRParser> {
  loading ??= import("@prometheus-io/lezer-promql").then(({ parser }) => {
    loaded = parser;
    return parser;
  });
  return loading;
}

/** The PromQL parser, for the synchronous checks; loadPromqlGrammar must have been awaited first. */
export function promqlParser(): LRParser {
  if (!loaded) {
    throw new Error(
      "internal error: PromQL parsed before its grammar was loaded (await loadPromqlGrammar() first; an action declares it in its spec's preload)",
    );
  }
  return loaded;
}
