import { headerMapSchema, PrometheusClient } from "@cutover/analysis";
import { type ConfigIssue, redactUrl } from "@cutover/core";
import { HttpClient } from "@cutover/http-checks";
import { parse } from "yaml";

/**
 * The services the run will need, asked once before anything changes: a Prometheus that does not
 * answer would otherwise be found at the bake, after the deploy and the swap.
 */
export async function checkReachable(inputs: Record<string, string>, secrets: Record<string, string | undefined>): Promise<ConfigIssue[]> {
  const url = inputs["prometheus-url"];
  if (!url || !(inputs.metrics || inputs["alert-rules"])) return [];
  const headers = headerMapSchema.safeParse(secrets["prometheus-headers"] ? parse(secrets["prometheus-headers"]) : {});
  // Bad headers are the steps' schemas to report; without them the query would only be refused.
  if (!headers.success) return [];
  const client = new HttpClient({ maxSockets: 1 });
  try {
    await new PrometheusClient({ url, headers: headers.data, timeoutMs: 10_000, client }).query("vector(1)");
    return [];
  } catch (error) {
    const why = (error as Error).message.split("\n")[0] ?? "";
    return [
      {
        input: "prometheus-url",
        path: "",
        given: JSON.stringify(redactUrl(url)),
        expected: `a Prometheus HTTP API that answers from this runner (the query vector(1) got: ${why})`,
      },
    ];
  } finally {
    client.close();
  }
}
