// Entry the health-gate bench bundles with ncc, so plain Node can load the TypeScript engines.
export { PrometheusClient, pollReadiness, runAnalysis } from "@cutover/analysis";
export { HttpClient } from "@cutover/http-checks";
