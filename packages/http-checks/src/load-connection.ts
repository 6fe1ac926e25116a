import { Client, type Dispatcher } from "undici";
import { ACCEPTED_ENCODINGS, BodyDecodeError, decodeBody } from "./decode-body.js";
import { HttpTransportError } from "./http-client.js";
import type { HttpResponse } from "./http-response.js";

export interface LoadConnectionOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Keep the response headers (an expect block asserts on them). */
  readHeaders: boolean;
  /** Keep and decode the body (an expect block asserts on it). */
  readBody: boolean;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * One keep-alive connection of the load burst, sending its requests one after another (a closed
 * loop, as autocannon and wrk do). It uses undici's dispatch API, which hands over status, raw
 * headers and body chunks without building streams or header objects per request: the load
 * client's CPU per request is what decides whether it or the server sets the pace.
 */
export class LoadConnection implements Dispatcher.DispatchHandlers {
  private readonly client: Client;
  private readonly dispatchOptions: Dispatcher.DispatchOptions;
  private readonly url: string;
  private readonly readHeaders: boolean;
  private readonly readBody: boolean;
  private started = 0;
  private status = 0;
  private rawHeaders: Buffer[] | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private resolve: (response: HttpResponse) => void = () => {};
  private reject: (error: Error) => void = () => {};

  constructor(options: LoadConnectionOptions) {
    this.client = new Client(options.url.origin, { pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    const headers: Record<string, string> = { "user-agent": "cutover", ...options.headers };
    // Ask for what browsers ask for, so the server does the work it does for them.
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "accept-encoding")) headers["accept-encoding"] = ACCEPTED_ENCODINGS;
    this.dispatchOptions = {
      path: `${options.url.pathname}${options.url.search}`,
      method: options.method as Dispatcher.HttpMethod,
      headers,
    };
    this.url = options.url.toString();
    this.readHeaders = options.readHeaders || options.readBody;
    this.readBody = options.readBody;
  }

  /** Sends one request; resolves with the response, rejects with undici's error for a transport failure. */
  send(): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.status = 0;
      this.rawHeaders = undefined;
      this.size = 0;
      if (this.chunks.length > 0) this.chunks = [];
      this.started = performance.now();
      this.client.dispatch(this.dispatchOptions, this);
    });
  }

  onConnect(): void {}

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.status = statusCode;
    if (this.readHeaders) this.rawHeaders = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.readBody && this.size < MAX_BODY_BYTES) this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  onComplete(): void {
    const latencyMs = performance.now() - this.started;
    const headers = this.rawHeaders ? headerRecord(this.rawHeaders) : {};
    let body = "";
    if (this.readBody) {
      try {
        body = decodeBody(Buffer.concat(this.chunks), headers["content-encoding"], MAX_BODY_BYTES).toString("utf8");
      } catch (error) {
        if (!(error instanceof BodyDecodeError)) throw error;
        this.reject(new HttpTransportError(`${error.message} from ${new URL(this.url).host}`, "EBODYDECODE"));
        return;
      }
    }
    this.resolve({ status: this.status, headers, body, latencyMs, url: this.url });
  }

  onError(error: Error): void {
    this.reject(error);
  }

  /** Closes the connection at once; a request in flight fails. */
  destroy(): Promise<void> {
    return this.client.destroy();
  }
}

function headerRecord(raw: Buffer[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}
