/**
 * This process's environment, as children inherit it. The one place an engine reads
 * `process.env`: what it hands to a child process (and the PATH it is looked up on).
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
