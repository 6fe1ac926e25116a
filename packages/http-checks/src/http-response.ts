/** What one request produced, with the timings the assertions and reports need. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From sending the request to the last byte of the body. */
  latencyMs: number;
  /** Final URL after redirects. */
  url: string;
  /** Days until the server certificate expires (https only). */
  certificateDaysLeft?: number;
}
