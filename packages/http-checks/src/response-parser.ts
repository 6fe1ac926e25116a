/**
 * An HTTP/1.1 response parser for the load burst's connections (RFC 9112 framing: Content-Length,
 * chunked transfer-coding with trailers, bodyless HEAD/1xx/204/304 answers, read-until-close, and
 * `Connection: close`/HTTP/1.0 keep-alive rules). Bytes may arrive split anywhere or packed.
 *
 * Hand-written because none fits: node's HTTPParser (llhttp) is internal, undici's llhttp is wasm
 * inside undici and not exported, and http-parser-js (autocannon's) turns every header line into
 * strings and regex matches. This one reads only the framing headers unless asked for all of them,
 * which is most of what the load client's CPU per request was (issue 19).
 */

/** What the parser reports, in order: the head, body pieces, then completion. */
export interface ResponseSink {
  /** `headers` (names lower-cased, repeats joined with ", ") only when the parser keeps headers. */
  onHead(status: number, headers: Record<string, string> | undefined): void;
  onBody(chunk: Buffer): void;
  /** `keepAlive`: the connection may carry the next request. */
  onComplete(keepAlive: boolean): void;
}

/** The bytes received are not an HTTP/1.x response. */
export class ResponseParseError extends Error {
  override name = "ResponseParseError";
}

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const DONE = 7;

/** Larger heads (and trailer sections) are refused rather than buffered without end. */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 1024;
const CRLF = Buffer.from("\r\n");
const END_OF_HEAD = Buffer.from("\r\n\r\n");

export class ResponseParser {
  private state = DONE;
  private headRequest = false;
  /** Bytes of a head, chunk-size line or trailer that arrived without their end. */
  private pending: Buffer | undefined;
  private remaining = 0;
  private keepAlive = true;

  constructor(
    private readonly sink: ResponseSink,
    private readonly keepHeaders: boolean,
  ) {}

  /** Starts reading the answer to a request just sent; a HEAD request's answer has no body. */
  expect(headRequest: boolean): void {
    this.state = HEAD;
    this.headRequest = headRequest;
    this.pending = undefined;
  }

  /** Whether a response is being read (its completion not yet reported). */
  get busy(): boolean {
    return this.state !== DONE;
  }

  /**
   * Reads `data`; returns -1 while the response is incomplete, else how many bytes followed its end
   * (with one request in flight, any are bytes no request asked for). Throws ResponseParseError.
   */
  execute(input: Buffer): number {
    let data = input;
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, input]);
      this.pending = undefined;
    }
    let at = 0;
    for (;;) {
      if (this.state === DONE) return data.length - at;
      if (at >= data.length) return -1;
      if (this.state === HEAD) {
        const end = data.indexOf(END_OF_HEAD, at);
        if (end === -1) return this.keep(data, at, MAX_HEAD_BYTES, "response head");
        if (end - at > MAX_HEAD_BYTES) throw new ResponseParseError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
        this.readHead(data.toString("latin1", at, end));
        at = end + 4;
      } else if (this.state === LENGTH || this.state === CHUNK_DATA) {
        const n = Math.min(this.remaining, data.length - at);
        this.sink.onBody(data.subarray(at, at + n));
        this.remaining -= n;
        at += n;
        if (this.remaining === 0) {
          if (this.state === LENGTH) this.complete();
          else this.state = CHUNK_END;
        }
      } else if (this.state === CHUNK_END) {
        if (data.length - at < 2) return this.keep(data, at, 2, "chunk");
        if (data[at] !== 13 || data[at + 1] !== 10) throw new ResponseParseError("chunk data not followed by CRLF");
        at += 2;
        this.state = CHUNK_SIZE;
      } else if (this.state === CHUNK_SIZE) {
        const end = data.indexOf(CRLF, at);
        if (end === -1) return this.keep(data, at, MAX_CHUNK_LINE_BYTES, "chunk-size line");
        const line = data.toString("latin1", at, end);
        // Chunk extensions (";name=value") carry nothing the load client uses.
        const hex = line.split(";", 1)[0]?.trim() ?? "";
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new ResponseParseError(`invalid chunk size "${line.slice(0, 40)}"`);
        this.remaining = Number.parseInt(hex, 16);
        this.state = this.remaining === 0 ? TRAILERS : CHUNK_DATA;
        at = end + 2;
      } else if (this.state === TRAILERS) {
        const end = data.indexOf(CRLF, at);
        if (end === -1) return this.keep(data, at, MAX_HEAD_BYTES, "trailer section");
        // Trailer fields are skipped; the empty line ends the message.
        if (end === at) this.complete();
        at = end + 2;
      } else {
        // UNTIL_CLOSE: everything up to the end of the connection is body.
        this.sink.onBody(data.subarray(at));
        at = data.length;
      }
    }
  }

  /**
   * The connection ended. Returns true when that completed the response (a body delimited by the
   * close) or none was being read; false when the response was cut short.
   */
  end(): boolean {
    if (this.state === UNTIL_CLOSE) {
      this.keepAlive = false;
      this.complete();
      return true;
    }
    return this.state === DONE;
  }

  private keep(data: Buffer, at: number, limit: number, what: string): number {
    if (data.length - at > limit) throw new ResponseParseError(`${what} larger than ${limit} bytes`);
    this.pending = data.subarray(at);
    return -1;
  }

  private readHead(head: string): void {
    // "HTTP/1.x NNN reason"; the reason phrase (and the space before it) may be missing.
    const status = Number(head.slice(9, 12));
    const afterStatus = head.charCodeAt(12);
    if (
      !head.startsWith("HTTP/1.") ||
      head.charCodeAt(8) !== 32 ||
      !(Number.isInteger(status) && status >= 100) ||
      !(Number.isNaN(afterStatus) || afterStatus === 32 || afterStatus === 13)
    ) {
      throw new ResponseParseError(`not an HTTP/1.x status line: "${head.slice(0, 40).split("\r\n")[0]}"`);
    }
    let keepAlive = head.charCodeAt(7) === 49; // HTTP/1.1 keeps the connection unless told otherwise
    let contentLength = -1;
    let chunked = false;
    let transferCoded = false;
    const headers: Record<string, string> | undefined = this.keepHeaders ? {} : undefined;
    let lineStart = head.indexOf("\r\n");
    while (lineStart !== -1) {
      lineStart += 2;
      const lineEnd = head.indexOf("\r\n", lineStart);
      const colon = head.indexOf(":", lineStart);
      const nameEnd = colon === -1 || (lineEnd !== -1 && colon > lineEnd) ? -1 : colon;
      if (nameEnd === -1) throw new ResponseParseError(`header line without a colon: "${head.slice(lineStart, lineEnd).slice(0, 40)}"`);
      const nameLength = nameEnd - lineStart;
      // Only names as long as a framing header are lower-cased, unless every header is kept.
      if (headers !== undefined || nameLength === 14 || nameLength === 17 || nameLength === 10) {
        const name = head.slice(lineStart, nameEnd).toLowerCase();
        const value = head.slice(nameEnd + 1, lineEnd === -1 ? undefined : lineEnd).trim();
        if (name === "content-length") {
          if (!/^\d{1,15}$/.test(value) || (contentLength !== -1 && contentLength !== Number(value))) {
            throw new ResponseParseError(`invalid content-length "${value.slice(0, 40)}"`);
          }
          contentLength = Number(value);
        } else if (name === "transfer-encoding") {
          transferCoded = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
        } else if (name === "connection") {
          const tokens = value.toLowerCase();
          if (/(?:^|,)\s*close\s*(?:,|$)/.test(tokens)) keepAlive = false;
          else if (/(?:^|,)\s*keep-alive\s*(?:,|$)/.test(tokens)) keepAlive = true;
        }
        if (headers !== undefined) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
      lineStart = lineEnd;
    }
    // Interim answers (100 Continue, 103 Early Hints) precede the real one: read on.
    if (status < 200 && status !== 101) return;
    this.keepAlive = keepAlive;
    this.sink.onHead(status, headers);
    if (this.headRequest || status === 204 || status === 304 || status === 101) {
      if (status === 101) this.keepAlive = false;
      this.complete();
    } else if (chunked) {
      this.state = CHUNK_SIZE;
    } else if (transferCoded) {
      // A transfer-coding other than chunked last: the body runs to the close (RFC 9112 §6.3).
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    } else if (contentLength >= 0) {
      this.remaining = contentLength;
      if (contentLength === 0) this.complete();
      else this.state = LENGTH;
    } else {
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    }
  }

  private complete(): void {
    this.state = DONE;
    this.sink.onComplete(this.keepAlive);
  }
}
