// Entry the health-gate bench bundles with ncc, so plain Node can load the TypeScript engines.
export { PrometheusClient, runAnalysis } from "@cutover/analysis";
export { HttpClient, pollReadiness } from "@cutover/http-checks";
