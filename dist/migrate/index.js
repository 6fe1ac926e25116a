import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 8000:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_url__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _cutover_migrations_parser_child__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5294);


// This bundle also serves as its own `--liftoff-only` PostgreSQL parser child: checked before the
// action is loaded, so the child starts with only the parser (the action is a chunk of its own).
if ((0,_cutover_migrations_parser_child__WEBPACK_IMPORTED_MODULE_1__/* .isParserChild */ .e)()) {
    await (0,_cutover_migrations_parser_child__WEBPACK_IMPORTED_MODULE_1__/* .runParserChild */ .x)();
}
else {
    const { runMigrateStep } = await Promise.all(/* import() */[__nccwpck_require__.e(533), __nccwpck_require__.e(5)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7005));
    await runMigrateStep((0,node_url__WEBPACK_IMPORTED_MODULE_0__.fileURLToPath)(import.meta.url));
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 5294:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* reexport safe */ _postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_0__.e6),
/* harmony export */   x: () => (/* reexport safe */ _postgres_statements_js__WEBPACK_IMPORTED_MODULE_1__.x8)
/* harmony export */ });
/* harmony import */ var _postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7505);
/* harmony import */ var _postgres_statements_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5875);
// What a bundle's entry point needs to serve as the PostgreSQL parser child, and nothing more:
// imported on its own (not through the package index) so the child starts without loading the
// rest of the action — the child's start-up is on the critical path of every lint.




/***/ }),

/***/ 7505:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  zY: () => (/* binding */ ParserProcessError),
  e6: () => (/* binding */ isParserChild),
  kP: () => (/* binding */ parserChild),
  nc: () => (/* binding */ serveParser),
  Mt: () => (/* binding */ useParserProcess)
});

// UNUSED EXPORTS: PARSER_CHILD_ENV

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:readline"
const external_node_readline_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");
;// CONCATENATED MODULE: ./packages/migrations/src/postgres-parser-process.ts


/**
 * Where PostgreSQL's parser runs. libpg_query is WebAssembly whose grammar function is huge: in a
 * normal Node process V8 tiers it up with TurboFan on first use, which costs a CPU-second and
 * ~550 MiB of peak memory per process. Started with `--liftoff-only` (a V8 flag that cannot be
 * set once the process runs) the same parse costs a tenth of that. An action bundle opts in with
 * `useParserProcess(itself)`: the first parse then starts the bundle again as a parser child
 * with that flag. Without it (tests, a process already on Liftoff) the parse runs in-process.
 */
/** Set in the environment of the parser child, which the action's entry point checks first. */
const PARSER_CHILD_ENV = "CUTOVER_POSTGRES_PARSER_CHILD";
/** Whether this process is a parser child an action bundle started (its entry point checks it first). */
function isParserChild(env = process.env) {
    return Boolean(env[PARSER_CHILD_ENV]);
}
let childEntry;
let child;
/** Runs later parses in a `--liftoff-only` child started from `entry` (the action bundle); undefined parses in-process again. */
function useParserProcess(entry) {
    childEntry = process.execArgv.includes("--liftoff-only") ? undefined : entry;
    child?.stop();
    child = undefined;
}
/** The parser child to use, or undefined to parse in-process. */
function parserChild() {
    if (!childEntry)
        return undefined;
    child ??= new ParserChild(childEntry);
    return child.broken ? undefined : child;
}
/** The parser child failed (could not start, or died): the caller parses in-process instead. */
class ParserProcessError extends Error {
    name = "ParserProcessError";
}
class ParserChild {
    broken = false;
    process;
    waiting = new Map();
    next = 0;
    constructor(entry) {
        this.process = (0,external_node_child_process_namespaceObject.spawn)(process.execPath, ["--liftoff-only", entry], {
            env: { ...process.env, [PARSER_CHILD_ENV]: "1" },
            stdio: ["pipe", "pipe", "ignore"],
        });
        const fail = (error) => {
            this.broken = true;
            for (const { reject } of this.waiting.values())
                reject(error);
            this.waiting.clear();
        };
        this.process.on("error", (error) => fail(new ParserProcessError(error.message)));
        // A child that died leaves a broken pipe: the exit above already failed what was waiting.
        this.process.stdin?.on("error", () => { });
        this.process.on("exit", () => fail(new ParserProcessError("the PostgreSQL parser process exited")));
        (0,external_node_readline_namespaceObject.createInterface)({ input: this.process.stdout }).on("line", (line) => {
            const reply = JSON.parse(line);
            const waiter = this.waiting.get(reply.id);
            if (!waiter)
                return;
            this.waiting.delete(reply.id);
            if (reply.result)
                waiter.resolve(reply.result);
            else
                waiter.reject(Object.assign(new Error(reply.error?.message ?? "parse failed"), { sqlDetails: reply.error }));
            this.idle();
        });
        // When this process has nothing left to do, end the child and wait for it, so that it never
        // outlives the step and its CPU and memory count in the step's own resource usage.
        process.once("beforeExit", () => {
            if (this.broken)
                return;
            this.process.ref();
            this.process.stdin?.end();
        });
        this.idle();
    }
    /** Parses `sql` in the child; rejects like libpg_query's parseSync on a syntax error. */
    parse(sql) {
        if (this.broken)
            return Promise.reject(new ParserProcessError("the PostgreSQL parser process is gone"));
        const id = this.next++;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, { resolve, reject });
            this.busy();
            this.process.stdin?.write(`${JSON.stringify({ id, sql })}\n`);
        });
    }
    /** Ends the child: it exits once its stdin closes. */
    stop() {
        this.broken = true;
        this.process.stdin?.end();
    }
    /** Keeps this process alive while a parse is awaited, and lets it exit otherwise (the child ends with its stdin). */
    busy() {
        this.process.ref();
        this.process.stdout.ref();
    }
    idle() {
        if (this.waiting.size > 0)
            return;
        this.process.unref();
        this.process.stdout.unref();
        this.process.stdin.unref();
    }
}
/** The child's side: answers parse requests on stdin with `parse` until stdin closes. */
async function serveParser(parse) {
    for await (const line of (0,external_node_readline_namespaceObject.createInterface)({ input: process.stdin })) {
        const { id, sql } = JSON.parse(line);
        let reply;
        try {
            reply = { id, result: parse(sql) };
        }
        catch (error) {
            const details = error.sqlDetails;
            reply = { id, error: { message: error instanceof Error ? error.message : String(error), cursorPosition: details?.cursorPosition } };
        }
        process.stdout.write(`${JSON.stringify(reply)}\n`);
    }
}


/***/ }),

/***/ 5875:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Xb: () => (/* binding */ parsePostgresSql),
/* harmony export */   x8: () => (/* binding */ runParserChild)
/* harmony export */ });
/* unused harmony exports postgresParser, loadPostgresParser, parsePostgres */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7505);



let parser;
/** The parser lints use: in the `--liftoff-only` child when the bundle set one up, else in-process. */
async function postgresParser() {
    const child = (0,_postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_2__/* .parserChild */ .kP)();
    if (!child) {
        const parse = await loadPostgresParser();
        return async (sql) => parse(sql);
    }
    return async (sql) => {
        try {
            return await child.parse(sql);
        }
        catch (error) {
            if (!(error instanceof _postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_2__/* .ParserProcessError */ .zY))
                throw error;
            return (await loadPostgresParser())(sql);
        }
    };
}
/**
 * Loads libpg_query (JS glue + 1.7 MB of WebAssembly, compiled on import) once, on first use:
 * only PostgreSQL lints pay for it. The bundler puts it in a chunk of its own, read from disk
 * only here (scripts/bundle-licenses.mjs lists the licences of every chunk).
 */
function loadPostgresParser() {
    parser ??= (async () => {
        // The Emscripten glue is CommonJS and finds libpg-query.wasm through __dirname, which an ES
        // module bundle lacks: lend it the bundle's directory (the build copies the wasm there).
        const global = globalThis;
        const lent = typeof global.__dirname === "undefined" && typeof __dirname === "undefined";
        if (lent)
            global.__dirname = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url));
        try {
            const module = await __nccwpck_require__.e(/* import() */ 627).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2627, 23));
            await module.loadModule();
            return module.parseSync;
        }
        finally {
            if (lent)
                delete global.__dirname;
        }
    })();
    return parser;
}
/** The parser child's main: answers parse requests with the in-process parser until stdin closes. */
async function runParserChild() {
    await (0,_postgres_parser_process_js__WEBPACK_IMPORTED_MODULE_2__/* .serveParser */ .nc)(await loadPostgresParser());
}
/** Walks a string by UTF-8 byte offsets (what libpg_query reports), counting lines on the way. */
class ByteCursor {
    sql;
    char = 0;
    byte = 0;
    line = 1;
    constructor(sql) {
        this.sql = sql;
    }
    /** Moves forward to a byte offset and returns the matching string index. */
    seek(byteOffset) {
        const sql = this.sql;
        while (this.byte < byteOffset && this.char < sql.length) {
            const code = sql.codePointAt(this.char);
            if (code === 10)
                this.line++;
            this.byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
            this.char += code >= 0x10000 ? 2 : 1;
        }
        return this.char;
    }
}
const LINE_COMMENT = /--([^\n]*)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;
/** parsePostgres with the parser lints use (see postgresParser). */
async function parsePostgresSql(sql) {
    return parsePostgres(await postgresParser(), sql);
}
/** Splits and parses a migration with the real PostgreSQL parser; a syntax error comes back as a ParseFailure. */
async function parsePostgres(parse, sql) {
    let result;
    try {
        result = await parse(sql);
    }
    catch (error) {
        const details = error.sqlDetails;
        const cursor = new ByteCursor(sql);
        cursor.seek(details?.cursorPosition ?? 0);
        return { message: error instanceof Error ? error.message : String(error), line: cursor.line };
    }
    const statements = [];
    const cursor = new ByteCursor(sql);
    let previousEnd = 0;
    for (const raw of result.stmts ?? []) {
        if (!raw.stmt)
            continue;
        const startByte = raw.stmt_location ?? 0;
        const start = cursor.seek(startByte);
        const line = cursor.line;
        const end = raw.stmt_len ? cursor.seek(startByte + raw.stmt_len) : sql.length;
        // Between two statements there are only blanks, comments and the semicolon: the markers live there.
        const gap = sql.slice(previousEnd, start).replace(BLOCK_COMMENT, "");
        const comments = [...gap.matchAll(LINE_COMMENT)].map((m) => m[1].trim());
        statements.push({ node: raw.stmt, text: sql.slice(start, end).replace(/;\s*$/, "").trim(), line, comments });
        previousEnd = end;
    }
    return statements;
}


/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 2250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 99:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:sqlite");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 8253:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util/types");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(8000);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
