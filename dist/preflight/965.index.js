export const id = 965;
export const ids = [965];
export const modules = {

/***/ 6965:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LoadConnection: () => (/* binding */ LoadConnection)
/* harmony export */ });
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4371);
/* harmony import */ var _decode_body_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3035);
/* harmony import */ var _http_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1558);



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
        this.client = new undici__WEBPACK_IMPORTED_MODULE_0__/* .Client */ .Kj(options.url.origin, { pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
        const headers = { "user-agent": "cutover", ...options.headers };
        // Ask for what browsers ask for, so the server does the work it does for them.
        if (!Object.keys(headers).some((name) => name.toLowerCase() === "accept-encoding"))
            headers["accept-encoding"] = _decode_body_js__WEBPACK_IMPORTED_MODULE_2__/* .ACCEPTED_ENCODINGS */ .di;
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
                body = (0,_decode_body_js__WEBPACK_IMPORTED_MODULE_2__/* .decodeBody */ .Vj)(Buffer.concat(this.chunks), headers["content-encoding"], MAX_BODY_BYTES).toString("utf8");
            }
            catch (error) {
                if (!(error instanceof _decode_body_js__WEBPACK_IMPORTED_MODULE_2__/* .BodyDecodeError */ .tx))
                    throw error;
                this.reject(new _http_client_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpTransportError */ .Mz(`${error.message} from ${new URL(this.url).host}`, "EBODYDECODE"));
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
