import type http from "node:http";
import type https from "node:https";
import type { TLSSocket } from "node:tls";
import { ACCEPTED_ENCODINGS, BodyDecodeError, decodeBody } from "./decode-body.js";
import type { HttpResponse } from "./http-response.js";

export interface HttpRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  followRedirects: boolean;
  signal?: AbortSignal;
}

/** A failure to get any response at all: refused, reset, timed out, DNS. */
export class HttpTransportError extends Error {
  override name = "HttpTransportError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 5;
/** Bodies are read for assertions; anything past this is dropped so a huge page cannot exhaust memory. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DAY_MS = 86_400_000;

/**
 * An HTTP client that reuses connections (keep-alive agents) and measures each request from
 * send to last byte. One instance per run; `close()` frees its sockets.
 */
export class HttpClient {
  private readonly http: typeof http;
  private readonly https: typeof https;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(options: { maxSockets?: number } = {}) {
    // Loaded with the first client, not at start-up: node:http and node:https (with TLS) cost a
    // bundle's start-up about as much as all of its own code (issue 19).
    this.http = process.getBuiltinModule("node:http");
    this.https = process.getBuiltinModule("node:https");
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.httpAgent = new this.http.Agent(agentOptions);
    this.httpsAgent = new this.https.Agent(agentOptions);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    let url = request.url;
    let method = request.method;
    let body = request.body;
    for (let hop = 0; ; hop++) {
      const response = await this.once({ ...request, url, method, body }, started);
      const location = response.headers.location;
      if (!request.followRedirects || !location || response.status < 300 || response.status > 399 || response.status === 304) {
        return response;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new HttpTransportError(`more than ${MAX_REDIRECTS} redirects, last to ${location}`, "ETOOMANYREDIRECTS");
      }
      url = new URL(location, url).toString();
      // 303 (and, as browsers do, 301/302 after POST) turn into a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  }

  private once(request: HttpRequest, started: number): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(request.url);
      const isHttps = target.protocol === "https:";
      const transport = isHttps ? this.https : this.http;
      const headers: Record<string, string> = { "user-agent": "cutover", ...request.headers };
      // Ask for what browsers and HTTP libraries ask for, so the body checked is the one they get.
      if (!Object.keys(headers).some((name) => name.toLowerCase() === "accept-encoding")) headers["accept-encoding"] = ACCEPTED_ENCODINGS;
      if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve(response as HttpResponse);
      };
      const req = transport.request(
        target,
        { method: request.method, headers, agent: isHttps ? this.httpsAgent : this.httpAgent },
        (res) => {
          let certificateDaysLeft: number | undefined;
          if (isHttps) {
            const certificate = (res.socket as TLSSocket).getPeerCertificate?.();
            if (certificate?.valid_to) {
              certificateDaysLeft = (Date.parse(certificate.valid_to) - Date.now()) / DAY_MS;
            }
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            if (size < MAX_BODY_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on("error", (error) => finish(transportError(error, request.url)));
          res.on("end", () => {
            const responseHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            let body: Buffer;
            try {
              body = decodeBody(Buffer.concat(chunks), responseHeaders["content-encoding"], MAX_BODY_BYTES);
            } catch (error) {
              if (!(error instanceof BodyDecodeError)) throw error;
              finish(new HttpTransportError(`${error.message} from ${new URL(request.url).host}`, "EBODYDECODE"));
              return;
            }
            finish(undefined, {
              status: res.statusCode ?? 0,
              headers: responseHeaders,
              body: body.toString("utf8"),
              latencyMs: performance.now() - started,
              url: request.url,
              ...(certificateDaysLeft === undefined ? {} : { certificateDaysLeft }),
            });
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new HttpTransportError(`no complete response within ${request.timeoutMs}ms`, "ETIMEDOUT"));
      }, request.timeoutMs);
      const onAbort = () => req.destroy(new HttpTransportError("request cancelled", "ECANCELLED"));
      if (request.signal?.aborted) onAbort();
      request.signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (error) => finish(transportError(error, request.url)));
      req.end(request.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** A transport failure (node's, or the load client's) as the sentence a report shows, naming the host. */
export function transportError(error: Error, url: string): HttpTransportError {
  if (error instanceof HttpTransportError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? "ERROR";
  const target = new URL(url);
  const host = target.host;
  const reason: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${host}`,
    ECONNRESET: `connection reset by ${host}`,
    ENOTFOUND: `host ${target.hostname} not found`,
    EAI_AGAIN: `host ${target.hostname} could not be resolved`,
    EHOSTUNREACH: `host ${host} unreachable`,
    CERT_HAS_EXPIRED: `certificate of ${host} has expired`,
  };
  return new HttpTransportError(reason[code] ?? `${code}: ${error.message}`, code);
}
