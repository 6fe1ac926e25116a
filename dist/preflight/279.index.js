export const id = 279;
export const ids = [279];
export const modules = {

/***/ 9279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  LoadConnection: () => (/* binding */ LoadConnection)
});

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(4371);
;// CONCATENATED MODULE: ./packages/http-checks/src/decode-body.ts
/** What clients offer by default; the server may answer with any of them. */
const ACCEPTED_ENCODINGS = "gzip, deflate, br";
/** Why a compressed body could not be read; assertions on the body report it. */
class BodyDecodeError extends Error {
    name = "BodyDecodeError";
}
/**
 * The body as a client reads it: decoded per `Content-Encoding` (gzip, deflate, br, in the order
 * applied), at most `maxBytes` once decoded. `identity` and no header leave it as sent.
 */
function decodeBody(raw, contentEncoding, maxBytes) {
    const codings = (contentEncoding ?? "")
        .split(",")
        .map((coding) => coding.trim().toLowerCase())
        .filter((coding) => coding !== "" && coding !== "identity");
    let body = raw;
    // Codings are listed in the order they were applied: undo them from the last.
    for (const coding of codings.reverse())
        body = decodeOne(body, coding, maxBytes);
    return body;
}
function decodeOne(body, coding, maxBytes) {
    const options = { maxOutputLength: maxBytes };
    // node:zlib is loaded by the first compressed body, not at start-up (issue 19).
    const { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } = process.getBuiltinModule("node:zlib");
    try {
        if (coding === "gzip" || coding === "x-gzip")
            return gunzipSync(body, { ...options, finishFlush: constants.Z_SYNC_FLUSH });
        if (coding === "br")
            return brotliDecompressSync(body, options);
        if (coding === "deflate") {
            // RFC 9110 says zlib-wrapped; some servers send raw deflate, which browsers accept too.
            try {
                return inflateSync(body, options);
            }
            catch {
                return inflateRawSync(body, options);
            }
        }
    }
    catch (error) {
        const reason = error.code === "ERR_BUFFER_TOO_LARGE"
            ? `larger than ${maxBytes} bytes once decoded`
            : error.message;
        throw new BodyDecodeError(`could not decode the ${coding} body: ${reason}`);
    }
    throw new BodyDecodeError(`unsupported content-encoding "${coding}" (cutover decodes gzip, deflate and br)`);
}

// EXTERNAL MODULE: ./packages/http-checks/src/http-client.ts
var http_client = __webpack_require__(1558);
;// CONCATENATED MODULE: ./packages/http-checks/src/load-connection.ts



const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * One keep-alive connection of the load burst, sending its requests one after another (a closed
 * loop, as autocannon and wrk do). It uses undici's dispatch API, which hands over status, raw
 * headers and body chunks without building streams or header objects per request: the load
 * client's CPU per request is what decides whether it or the server sets the pace.
 */
class LoadConnection {
    client;
    dispatchOptions;
    url;
    readHeaders;
    readBody;
    started = 0;
    status = 0;
    rawHeaders;
    chunks = [];
    size = 0;
    resolve = () => { };
    reject = () => { };
    constructor(options) {
        this.client = new undici/* Client */.Kj(options.url.origin, { pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
        const headers = { "user-agent": "cutover", ...options.headers };
        // Ask for what browsers ask for, so the server does the work it does for them.
        if (!Object.keys(headers).some((name) => name.toLowerCase() === "accept-encoding"))
            headers["accept-encoding"] = ACCEPTED_ENCODINGS;
        this.dispatchOptions = {
            path: `${options.url.pathname}${options.url.search}`,
            method: options.method,
            headers,
        };
        this.url = options.url.toString();
        this.readHeaders = options.readHeaders || options.readBody;
        this.readBody = options.readBody;
    }
    /** Sends one request; resolves with the response, rejects with undici's error for a transport failure. */
    send() {
        return new Promise((resolve, reject) => {
            this.resolve = resolve;
            this.reject = reject;
            this.status = 0;
            this.rawHeaders = undefined;
            this.size = 0;
            if (this.chunks.length > 0)
                this.chunks = [];
            this.started = performance.now();
            this.client.dispatch(this.dispatchOptions, this);
        });
    }
    onConnect() { }
    onHeaders(statusCode, headers) {
        this.status = statusCode;
        if (this.readHeaders)
            this.rawHeaders = headers;
        return true;
    }
    onData(chunk) {
        if (this.readBody && this.size < MAX_BODY_BYTES)
            this.chunks.push(chunk);
        this.size += chunk.length;
        return true;
    }
    onComplete() {
        const latencyMs = performance.now() - this.started;
        const headers = this.rawHeaders ? headerRecord(this.rawHeaders) : {};
        let body = "";
        if (this.readBody) {
            try {
                body = decodeBody(Buffer.concat(this.chunks), headers["content-encoding"], MAX_BODY_BYTES).toString("utf8");
            }
            catch (error) {
                if (!(error instanceof BodyDecodeError))
                    throw error;
                this.reject(new http_client/* HttpTransportError */.Mz(`${error.message} from ${new URL(this.url).host}`, "EBODYDECODE"));
                return;
            }
        }
        this.resolve({ status: this.status, headers, body, latencyMs, url: this.url });
    }
    onError(error) {
        this.reject(error);
    }
    /** Closes the connection at once; a request in flight fails. */
    destroy() {
        return this.client.destroy();
    }
}
function headerRecord(raw) {
    const headers = {};
    for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = String(raw[i]).toLowerCase();
        const value = String(raw[i + 1]);
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    return headers;
}


/***/ })

};
