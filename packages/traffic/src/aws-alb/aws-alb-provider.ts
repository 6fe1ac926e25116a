import { defineProvider } from "../router-provider.js";
import { AwsAlbRouter } from "./aws-alb-router.js";
import { awsAlbRouterSchema } from "./aws-alb-schema.js";
import { openElbv2Calls } from "./elbv2-calls.js";

export const awsAlbProvider = defineProvider({
  name: "aws-alb",
  schema: awsAlbRouterSchema,
  async create(config, context) {
    return new AwsAlbRouter(config, await openElbv2Calls(config, context.env ?? {}));
  },
});
