import { z } from "zod";

/**
 * The `router-env` input: a YAML map of environment variables for the router's commands, e.g.
 * cloud credentials for `kubectl` or `aws`. Values are secrets; names must be valid variables.
 */
export const routerEnvSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "an environment variable name (letters, digits, _)" }),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);
