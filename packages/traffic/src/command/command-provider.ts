import { LocalHost } from "../local-host.js";
import { defineProvider } from "../router-provider.js";
import { CommandRouter } from "./command-router.js";
import { commandRouterSchema } from "./command-schema.js";

export const commandProvider = defineProvider({
  name: "command",
  schema: commandRouterSchema,
  async create(config, context) {
    return new CommandRouter(config, new LocalHost(context.env));
  },
});
