export const id = 5;
export const ids = [5];
export const modules = {

/***/ 7005:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMigrateStep: () => (/* binding */ runMigrateStep)
});

;// CONCATENATED MODULE: ./packages/core/src/action-protocol.ts
// How a JavaScript action and the Actions runner talk: INPUT_* variables in, workflow commands on
// stdout, and file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH) out. Written once,
// here, for the runner boundary, the local sandbox and the test harness.
/** The environment variable the runner sets for an input: upper-cased, spaces to `_`, hyphens kept. */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;
function escapeData(text) {
    return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
/**
 * One workflow command line (without its newline), byte for byte as @actions/core writes it:
 * properties with an empty or missing value are left out (the space before them stays).
 */
function formatCommand(command, properties, data) {
    const pairs = Object.entries(properties)
        .filter(([, value]) => value !== undefined && value !== "" && value !== 0)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
    const head = Object.keys(properties).length > 0 ? `${command} ${pairs.join(",")}` : command;
    return `::${head}::${escapeData(data)}`;
}
/** A `name<<DELIMITER` heredoc entry for GITHUB_OUTPUT / GITHUB_STATE (without its final newline). */
function formatFileCommand(name, value, delimiter, eol = "\n") {
    // A delimiter inside the name or value would end the heredoc early and let the rest set other names.
    if (name.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    return `${name}<<${delimiter}${eol}${value}${eol}${delimiter}`;
}
function unescapeData(text) {
    return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}
function unescapeProperty(text) {
    return unescapeData(text).replace(/%3A/g, ":").replace(/%2C/g, ",");
}
/** Reads one stdout line the way the runner does: a workflow command or plain log text. */
function parseCommandLine(line) {
    const match = COMMAND.exec(line);
    if (!match)
        return { kind: "log", text: line };
    const [, command, props, data] = match;
    switch (command) {
        case "add-mask":
            return { kind: "add-mask", value: unescapeData(data) };
        case "error":
        case "warning":
        case "notice": {
            const properties = {};
            for (const pair of (props ?? "").split(",").filter(Boolean)) {
                const eq = pair.indexOf("=");
                properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
            }
            return { kind: "annotation", annotation: { level: command, message: unescapeData(data), properties } };
        }
        case "debug":
            return { kind: "debug", text: unescapeData(data) };
        case "group":
            return { kind: "group", title: unescapeData(data) };
        case "endgroup":
            return { kind: "endgroup" };
        case "stop-commands":
            return { kind: "stop-commands", token: data };
        default:
            return { kind: "log", text: line };
    }
}
/** Splits stdout into workflow commands the runner would act on, as the runner parses them. */
function parseWorkflowCommands(stdout) {
    const annotations = [];
    const masks = [];
    const log = [];
    for (const line of stdout.split(/\r?\n/)) {
        const parsed = parseCommandLine(line);
        if (parsed.kind === "add-mask")
            masks.push(parsed.value);
        else if (parsed.kind === "annotation")
            annotations.push(parsed.annotation);
        else
            log.push(line);
    }
    return { annotations, masks, log };
}
/** Reads a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file: `name<<DELIMITER` heredocs and `name=value` lines. */
function parseFileCommands(text) {
    const values = {};
    const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
        if (heredoc) {
            const [, name, delimiter] = heredoc;
            const body = [];
            for (i++; i < lines.length && lines[i] !== delimiter; i++)
                body.push(lines[i]);
            if (i >= lines.length)
                throw new Error(`unterminated heredoc for ${name}`);
            values[name] = body.join("\n");
        }
        else if (line.includes("=")) {
            const eq = line.indexOf("=");
            values[line.slice(0, eq)] = line.slice(eq + 1);
        }
    }
    return values;
}
/** Reads a GITHUB_PATH file: one directory per line, prepended to PATH in the order written. */
function parsePathFile(text) {
    return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
}

;// CONCATENATED MODULE: ./packages/core/src/errors.ts
/** Base of every error cutover raises on purpose; anything else is an unexpected error. */
class CutoverError extends Error {
    name = "CutoverError";
}
/** Bad configuration: raised before anything changes. */
class errors_ConfigError extends CutoverError {
    issues;
    name = "ConfigError";
    constructor(issues) {
        super(issues.map(formatConfigIssue).join("\n"));
        this.issues = issues;
    }
    static single(issue) {
        return new errors_ConfigError([issue]);
    }
}
function formatConfigIssue(issue) {
    const where = issue.path ? `input '${issue.input}' at ${issue.path}` : `input '${issue.input}'`;
    const given = issue.given === undefined ? "nothing was given" : `got ${issue.given}`;
    return `${where}: ${given}; expected ${issue.expected}`;
}
/** A gate that said no: carries every measured value with the threshold it missed. */
class GateFailedError extends CutoverError {
    summary;
    findings;
    name = "GateFailedError";
    constructor(summary, findings = []) {
        super(findings.length === 0
            ? summary
            : `${summary}\n${findings.map((f) => `- ${f.subject}: measured ${f.measured}, expected ${f.expected}`).join("\n")}`);
        this.summary = summary;
        this.findings = findings;
    }
}
/** The run was cancelled (SIGINT/SIGTERM from the runner) or hit its deadline. */
class errors_CancelledError extends CutoverError {
    name = "CancelledError";
}
function failureKind(error) {
    if (error instanceof errors_ConfigError)
        return "config";
    if (error instanceof GateFailedError)
        return "gate";
    if (error instanceof errors_CancelledError)
        return "cancelled";
    return "unexpected";
}

;// CONCATENATED MODULE: ./packages/core/src/cancellation.ts

/**
 * An AbortSignal that fires when the runner cancels the job. The runner sends SIGINT, then
 * SIGTERM a few seconds later; both abort so work stops at once and cleanup can run.
 */
function cancellationSignal(target = process, onCancel) {
    const controller = new AbortController();
    const handlers = new Map();
    for (const name of ["SIGINT", "SIGTERM"]) {
        const handler = () => {
            onCancel?.(name);
            controller.abort(new errors_CancelledError(`cancelled by ${name}`));
        };
        handlers.set(name, handler);
        target.once(name, handler);
    }
    const dispose = () => {
        for (const [name, handler] of handlers)
            target.off(name, handler);
    };
    return { signal: controller.signal, dispose };
}
/** A signal that aborts when `parent` does or when `ms` have passed, whichever is first. */
function withDeadline(parent, ms) {
    return AbortSignal.any([parent, AbortSignal.timeout(ms)]);
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./packages/core/src/expand-placeholders.ts
/** The placeholders cutover fills in metric queries, alert rules and URL inputs. */
const PLACEHOLDERS = ["color", "previous-color", "version", "previous-version", "environment"];
// Only the known names: PromQL's own braces (`x{code="500"}`) never look like `{color}`.
const PATTERN = new RegExp(`\\{(${PLACEHOLDERS.join("|")})\\}`, "g");
/** The placeholder values an action's inputs give (inputs named like the placeholders; empty ones left out). */
function placeholderValuesOf(inputs) {
    const out = {};
    for (const name of PLACEHOLDERS) {
        const value = inputs[name];
        if (value)
            out[name] = value;
    }
    return out;
}
/** The placeholders a text uses, in order of first use. */
function expand_placeholders_placeholdersIn(text) {
    return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1]))];
}
/** The placeholders a text uses that have no value. */
function expand_placeholders_missingPlaceholders(text, values) {
    return expand_placeholders_placeholdersIn(text).filter((name) => !values[name]);
}
/**
 * Replaces `{color}`, `{previous-color}`, `{version}`, `{previous-version}` and `{environment}`;
 * `encode` escapes each value for where it lands (e.g. encodeURIComponent in a URL path).
 * Throws when a used placeholder has no value: check with `missingPlaceholders` first to report it as configuration.
 */
function expand_placeholders_expandPlaceholders(text, values, encode = (v) => v) {
    return text.replace(PATTERN, (_, name) => {
        const value = values[name];
        if (!value)
            throw new Error(`{${name}} has no value`);
        return encode(value);
    });
}

// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
;// CONCATENATED MODULE: ./packages/core/src/duration.ts
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
/** Parses `250ms`, `5s`, `2m`, `1h30m` (or a bare number of milliseconds) into milliseconds. */
function parseDuration(text) {
    const trimmed = text.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed);
    if (!DURATION.test(trimmed)) {
        throw new TypeError(`'${text}' is not a duration`);
    }
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(PART)) {
        total += Number(amount) * UNIT_MS[unit];
    }
    return Math.round(total);
}
/** Renders milliseconds the way people read them: `850ms`, `4.2s`, `2m05s`, `1h30m`. */
function formatDuration(ms) {
    if (ms < 1_000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, "")}s`;
    const totalSeconds = Math.round(ms / 1_000);
    const hours = Math.floor(totalSeconds / 3_600);
    const minutes = Math.floor((totalSeconds % 3_600) / 60);
    const seconds = totalSeconds % 60;
    if (hours > 0)
        return `${hours}h${String(minutes).padStart(2, "0")}m`;
    return `${minutes}m${String(seconds).padStart(2, "0")}s`;
}

;// CONCATENATED MODULE: ./packages/core/src/input-fields.ts



/**
 * Schemas for action inputs. Every input arrives as a string (or is absent); these turn it
 * into a typed value. Defaults are declared on the raw string so they read exactly like the
 * `default:` in action.yml, which a test compares against.
 */
const withDefault = (schema, value) => (value === undefined ? schema : schema.default(value));
/**
 * The longest duration any input takes: 24 days. Node's timers hold at most 2^31-1 ms (about
 * 24.8 days); a longer delay fires at once, so `interval: 30d` would mean "no wait at all".
 */
const MAX_DURATION_MS = 24 * 86_400_000;
function durationSchema(allowZero) {
    const range = `a duration ${allowZero ? "from 0" : "above 0"} up to 24d (longer timers overflow)`;
    return schemas/* string */.YjP().transform((text, ctx) => {
        let ms;
        try {
            ms = parseDuration(text);
        }
        catch {
            ctx.addIssue({ code: "custom", message: "a duration such as 250ms, 5s, 2m or 1h30m" });
            return core/* NEVER */.tm;
        }
        if (ms > MAX_DURATION_MS || (ms === 0 && !allowZero)) {
            ctx.addIssue({ code: "custom", message: range });
            return core/* NEVER */.tm;
        }
        return ms;
    });
}
/** Milliseconds from `250ms`, `5s`, `2m`, `1h30m`; above zero (a zero timeout or interval means nothing) and at most 24 days. */
const durationValue = durationSchema(false);
/** Like durationValue, where zero means something (no delay, do not wait). */
const durationOrZeroValue = durationSchema(true);
/** A duration input; `allowZero` where 0 is a meaningful value (an initial delay, a retry delay). */
function durationInput(defaultValue, options = {}) {
    return withDefault(schemas/* string */.YjP(), defaultValue).pipe(options.allowZero ? durationOrZeroValue : durationValue);
}
function integerInput(options = {}) {
    return withDefault(z.string(), options.default).transform((text, ctx) => {
        const value = Number(text.trim());
        const min = options.min ?? Number.MIN_SAFE_INTEGER;
        const max = options.max ?? Number.MAX_SAFE_INTEGER;
        if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
            const range = options.min !== undefined && options.max !== undefined
                ? ` from ${min} to ${max}`
                : options.min !== undefined
                    ? ` of at least ${min}`
                    : "";
            ctx.addIssue({ code: "custom", message: `a whole number${range}` });
            return z.NEVER;
        }
        return value;
    });
}
const TRUE = new Set(["true", "True", "TRUE"]);
const FALSE = new Set(["false", "False", "FALSE"]);
/** The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
function booleanInput(defaultValue) {
    return withDefault(schemas/* string */.YjP(), defaultValue).transform((text, ctx) => {
        if (TRUE.has(text.trim()))
            return true;
        if (FALSE.has(text.trim()))
            return false;
        ctx.addIssue({ code: "custom", message: "true or false" });
        return core/* NEVER */.tm;
    });
}
function textInput(defaultValue) {
    return withDefault(schemas/* string */.YjP(), defaultValue);
}
function choiceInput(values, defaultValue) {
    return withDefault(schemas/* string */.YjP(), defaultValue).pipe(schemas/* enum */.k5n(values));
}
/** An absolute http(s) URL. */
const input_fields_httpUrl = schemas/* string */.YjP().refine((text) => {
    try {
        const url = new URL(text);
        return url.protocol === "http:" || url.protocol === "https:";
    }
    catch {
        return false;
    }
}, { message: "an absolute http:// or https:// URL" });
function urlInput(defaultValue) {
    return withDefault(z.string(), defaultValue).pipe(input_fields_httpUrl);
}
/** A YAML or JSON document validated by `schema`; issue paths are inside the document. */
function structuredInput(schema, defaultValue) {
    return withDefault(z.string(), defaultValue)
        .transform((text, ctx) => {
        try {
            return parseYaml(text, { uniqueKeys: true });
        }
        catch (error) {
            const reason = (error.message.split("\n")[0] ?? "").replace(/:$/, "");
            ctx.addIssue({ code: "custom", message: "a YAML or JSON document", params: { syntaxError: reason } });
            return z.NEVER;
        }
    })
        .pipe(schema);
}
/** A regular expression given as text; it must compile. */
const regexText = schemas/* string */.YjP().refine((text) => {
    try {
        new RegExp(text);
        return true;
    }
    catch {
        return false;
    }
}, { message: "a regular expression that compiles (JavaScript syntax)" });

;// CONCATENATED MODULE: ./packages/core/src/url-template.ts




// Stand-ins that make a template parseable as a URL; a real value is checked again once filled.
const SAMPLE = Object.fromEntries(PLACEHOLDERS.map((name) => [name, "x"]));
/**
 * A URL input that may hold `{color}`, `{version}`… (e.g. http://{color}.app.internal:8080/health):
 * valid when it is an absolute http(s) URL with every placeholder filled. Filled by `fillUrlTemplate`.
 */
function urlTemplateInput(defaultValue) {
    const base = defaultValue === undefined ? z.string() : z.string().default(defaultValue);
    return base.pipe(url_template_urlTemplate);
}
/** A path joined onto a URL input, e.g. /health or /api/status?deep=1. */
const urlPath = schemas/* string */.YjP().regex(/^\/[^\s#]*$/, "a path starting with /, e.g. /health");
/** The text of a URL template; see `urlTemplateInput`. */
const url_template_urlTemplate = schemas/* string */.YjP().refine((text) => {
    const filled = expand_placeholders_expandPlaceholders(text, SAMPLE);
    // A brace left over is a misspelt placeholder ({colour}): the URL parser would take it as a host.
    return !/[{}]/.test(filled) && input_fields_httpUrl.safeParse(filled).success;
}, {
    message: `an absolute http:// or https:// URL (placeholders such as {color} allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")})`,
});
/** The URL with its placeholders filled, each value escaped for a URL; throws if a value is missing. */
function url_template_fillUrlTemplate(template, values) {
    const url = expandPlaceholders(template, values, encodeURIComponent);
    if (!httpUrl.safeParse(url).success)
        throw new Error(`${url} is not an absolute http(s) URL`);
    return url;
}
/** Whether a URL input holds a placeholder. */
function isUrlTemplate(text) {
    return placeholdersIn(text).length > 0;
}
/** A placeholder of the URL input `input` whose own input is empty (the URL is not quoted: it may carry credentials). */
function url_template_unfilledUrlIssues(input, template, values) {
    return missingPlaceholders(template, values).map((name) => ({
        input,
        path: "",
        given: `{${name}}`,
        expected: `the ${name} input, which fills {${name}}`,
    }));
}
/** The URL input `input` with its placeholders filled; an unfilled one is a configuration error naming both. */
function fillUrlInput(input, template, values) {
    const issues = url_template_unfilledUrlIssues(input, template, values);
    if (issues.length > 0)
        throw new ConfigError(issues);
    return url_template_fillUrlTemplate(template, values);
}

;// CONCATENATED MODULE: ./packages/core/src/color-url.ts




const perColor = schemas/* strictObject */.rej({ blue: url_template_urlTemplate, green: url_template_urlTemplate });
/** A URL input given as a template or as a map of color → URL. */
function colorUrlInput() {
    return z.string().transform((text, ctx) => {
        let doc;
        try {
            doc = parseYaml(text, { logLevel: "silent" });
        }
        catch {
            doc = text;
        }
        const result = doc !== null && typeof doc === "object" ? perColor.safeParse(doc) : urlTemplate.safeParse(text.trim());
        if (result.success)
            return result.data;
        for (const issue of result.error.issues) {
            ctx.addIssue({
                code: "custom",
                path: issue.path,
                message: doc !== null && typeof doc === "object"
                    ? `${issue.message}; a map gives one URL for each color: { blue: …, green: … }`
                    : `${issue.message}, or a map { blue: …, green: … }`,
            });
        }
        return z.NEVER;
    });
}
/** Whether a color URL tells the colors apart (a map, or a template holding {color}). */
function namesEachColor(url) {
    return typeof url !== "string" || url.includes("{color}");
}
/** The issues that keep a color URL from being filled for `values` (the URL is not quoted). */
function unfilledColorUrlIssues(input, url, values) {
    if (typeof url === "string")
        return unfilledUrlIssues(input, url, values);
    if (!values.color)
        return [{ input, path: "", given: "a map of URLs per color", expected: "the color input, which picks one" }];
    return unfilledUrlIssues(input, url[values.color] ?? "", values);
}
/** The URL for `values.color`, placeholders filled; an unfilled one is a configuration error. */
function fillColorUrl(input, url, values) {
    const issues = unfilledColorUrlIssues(input, url, values);
    if (issues.length > 0)
        throw new ConfigError(issues);
    if (typeof url === "string")
        return fillUrlTemplate(url, values);
    const chosen = url[values.color];
    if (chosen === undefined) {
        throw ConfigError.single({ input, path: "", given: JSON.stringify(values.color), expected: "blue or green, the colors the map names" });
    }
    return fillUrlTemplate(chosen, values);
}

;// CONCATENATED MODULE: ./packages/core/src/config-issues.ts
/** Renders a zod issue path the way a user writes it: `[0].expect.status`, `headers.Authorization`. */
function formatIssuePath(path) {
    let out = "";
    for (const part of path) {
        if (typeof part === "number")
            out += `[${part}]`;
        else {
            const key = String(part);
            out += /^[A-Za-z_][\w-]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
        }
    }
    return out;
}
/** Shows a given value briefly: strings quoted, objects as compact JSON, long ones cut. */
function describeValue(value) {
    if (value === undefined)
        return "nothing";
    const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
function safeJson(value) {
    try {
        return JSON.stringify(value) ?? String(value);
    }
    catch {
        return String(value);
    }
}
function valueAt(root, path) {
    let node = root;
    for (const key of path) {
        if (node === null || typeof node !== "object")
            return undefined;
        node = node[key];
    }
    return node;
}
/** What the schema wanted, in words, from one zod issue. */
function expectation(issue) {
    switch (issue.code) {
        case "invalid_type":
            return issue.expected === "undefined" ? "no value here" : `a ${issue.expected}`;
        case "unrecognized_keys":
            return "only known keys (check the spelling or the documentation)";
        case "invalid_value":
            return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "too_small":
            return `${issue.origin === "array" ? "at least" : "a value of at least"} ${String(issue.minimum)}${issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : ""}`;
        case "too_big":
            return `${issue.origin === "array" ? "at most" : "a value of at most"} ${String(issue.maximum)}${issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : ""}`;
        default:
            return issue.message;
    }
}
/**
 * Turns zod's issues into ConfigIssues that name the input, the path inside it, the value given
 * and what is expected. `secret` hides given values of inputs that hold secrets.
 */
function toConfigIssues(input, raw, issues, options = {}) {
    return issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((key) => ({
                input,
                path: formatIssuePath([...issue.path, key]),
                given: `unknown key '${key}'`,
                expected: expectation(issue),
            }));
        }
        if (issue.code === "invalid_key") {
            // A record key that failed its own schema: report the key, with the key's own expectation.
            const key = String(issue.path.at(-1) ?? "");
            const reason = issue.issues[0]?.message ?? "a valid key";
            return [{ input, path: formatIssuePath(issue.path), given: `key ${JSON.stringify(key)}`, expected: reason }];
        }
        if (issue.code === "invalid_union" && issue.errors.length > 0) {
            // Report the branch that got furthest: usually what the user meant.
            const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
            if (best.length > 0 && depth(best) > issue.path.length)
                return toConfigIssues(input, raw, best, options);
        }
        const syntaxError = issue.code === "custom" ? issue.params?.syntaxError : undefined;
        if (syntaxError) {
            return [{ input, path: formatIssuePath(issue.path), given: `text that does not parse (${syntaxError})`, expected: issue.message }];
        }
        // A check that describes what it refused itself (never quoting a secret).
        const described = issue.code === "custom" ? issue.params?.given : undefined;
        if (described)
            return [{ input, path: formatIssuePath(issue.path), given: described, expected: issue.message }];
        const given = valueAt(raw, issue.path);
        const custom = issue.code === "custom" || (issue.code === "invalid_format" && issue.message);
        return [
            {
                input,
                path: formatIssuePath(issue.path),
                given: given === undefined ? undefined : options.secret ? "a secret value" : describeValue(given),
                expected: custom ? issue.message : expectation(issue),
            },
        ];
    });
}
function depth(issues) {
    return Math.max(0, ...issues.map((i) => i.path.length));
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./packages/core/src/process-environment.ts
/**
 * This process's environment, as children inherit it. The one place an engine reads
 * `process.env`: what it hands to a child process (and the PATH it is looked up on).
 */
function process_environment_processEnvironment() {
    return process.env;
}

;// CONCATENATED MODULE: ./packages/core/src/find-executable.ts



/** The full path of `name` on PATH (by default the PATH a child process would get), or undefined. */
function findExecutable(name, path = process_environment_processEnvironment().PATH ?? "") {
    for (const dir of path.split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = (0,external_node_path_.join)(dir, name);
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/redaction.ts
const SECRET_QUERY_KEYS = /^(?:.*token.*|.*secret.*|.*password.*|passwd|pwd|.*api[-_]?key.*|key|sig|signature|auth|authorization|access[-_]?key.*|credential.*|x-amz-.*)$/i;
const REDACTED = "***";
/** Hides the password (and user) of a URL and the values of query parameters that look like secrets. */
function redactUrl(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        // Not a URL we can parse: still strip anything that looks like `user:pass@`.
        return raw.replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`);
    }
    if (url.password)
        url.password = REDACTED;
    for (const key of [...url.searchParams.keys()]) {
        if (SECRET_QUERY_KEYS.test(key))
            url.searchParams.set(key, REDACTED);
    }
    // URLSearchParams encodes '*'; keep the marker readable.
    return url.toString().replaceAll("%2A%2A%2A", REDACTED);
}
/** Remembers secret values and scrubs them from any text that leaves the process. */
class Redactor {
    secrets = new Set();
    /** The secrets longest first, sorted again only when one was added (the set only grows): every log line is redacted. */
    longestFirst = [];
    add(value) {
        if (!value)
            return;
        // Very short values would shred ordinary text; the runner ignores them too.
        if (value.length < 3)
            return;
        for (const form of encodedForms(value))
            this.secrets.add(form);
        for (const line of value.split(/\r?\n/)) {
            if (line.trim().length >= 3)
                for (const form of encodedForms(line.trim()))
                    this.secrets.add(form);
        }
    }
    get values() {
        return [...this.secrets];
    }
    /** Redacts every string inside a value (keys too), so what is serialised afterwards holds no secret in any escaping. */
    redactDeep(value) {
        if (typeof value === "string")
            return this.redact(value);
        // Serialise the way JSON.stringify would (URL, Date...) before walking.
        const toJSON = value?.toJSON;
        if (typeof toJSON === "function")
            return this.redactDeep(toJSON.call(value));
        if (Array.isArray(value))
            return value.map((item) => this.redactDeep(item));
        if (value !== null && typeof value === "object") {
            const out = {};
            for (const [key, item] of Object.entries(value))
                out[this.redact(key)] = this.redactDeep(item);
            return out;
        }
        return value;
    }
    redact(text) {
        // Longest first so a secret that contains another is hidden whole.
        if (this.longestFirst.length !== this.secrets.size)
            this.longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
        let out = text;
        for (const secret of this.longestFirst) {
            if (out.includes(secret))
                out = out.split(secret).join(REDACTED);
        }
        return out;
    }
}
/**
 * The forms a secret takes once something escapes it: JSON string escaping, URL encoding (both
 * flavours) and base64 at each of the three byte alignments, as the Actions runner's masker does.
 */
function encodedForms(value) {
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
    for (const form of base64Forms(value))
        forms.add(form);
    return [...forms].filter((form) => form.length >= 3);
}
/** Base64 of a value that may sit at any offset inside a longer encoded text: only the characters it alone decides. */
function base64Forms(value) {
    const bytes = Buffer.from(value, "utf8");
    const forms = [];
    for (const shift of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
            .toString("base64")
            .replace(/=+$/, "");
        // Leading characters mix in the bytes before; the last one mixes in the bytes after unless aligned.
        const start = shift === 0 ? 0 : shift + 1;
        const end = (shift + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
        const form = encoded.slice(start, end);
        // Short base64 fragments match ordinary text by chance.
        if (form.length >= 6)
            forms.push(form);
    }
    return forms;
}

;// CONCATENATED MODULE: ./packages/core/src/sleep.ts

/** Waits `ms`, or rejects with CancelledError as soon as `signal` aborts. */
function sleep_sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(abortReason(signal));
            return;
        }
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortReason(signal));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}
/** The error to raise for an aborted signal: its reason when it is ours, else a CancelledError. */
function abortReason(signal) {
    const reason = signal.reason;
    if (reason instanceof errors_CancelledError)
        return reason;
    if (reason instanceof Error && reason.name === "TimeoutError")
        return new errors_CancelledError("deadline exceeded");
    return new errors_CancelledError(reason instanceof Error ? reason.message : "cancelled");
}

;// CONCATENATED MODULE: ./packages/core/src/retry.ts


/** Backoff before retry number `attempt` (1-based): exponential, capped, with jitter. */
function backoffDelay(attempt, options) {
    const factor = options.factor ?? 2;
    const cap = options.maxDelayMs ?? 30_000;
    const base = Math.min(cap, options.initialDelayMs * factor ** (attempt - 1));
    const jitter = options.jitter ?? 0.2;
    const random = options.random ?? Math.random;
    return Math.round(base * (1 - jitter * random()));
}
/** Runs `task` until it succeeds or the retries are spent; the last error is thrown. */
async function retry(task, options) {
    for (let attempt = 1;; attempt++) {
        try {
            return await task(attempt);
        }
        catch (error) {
            if (error instanceof CancelledError || options.signal?.aborted)
                throw error;
            const retryable = attempt <= options.retries && (options.shouldRetry?.(error, attempt) ?? true);
            if (!retryable)
                throw error;
            const backoff = backoffDelay(attempt, options);
            const delay = options.delayFor ? options.delayFor(error, backoff) : backoff;
            options.onRetry?.(error, attempt, delay);
            await sleep(delay, options.signal);
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/run-process.ts

const DEFAULT_KILL_GRACE_MS = 2_000;
const DEFAULT_MAX_OUTPUT_CHARS = 256 * 1024;
/** After the process exits, how long a background child still in its group may keep the pipes open before we stop reading. */
const PIPE_DRAIN_MS = 200;
/** With the group gone the pipes close at once; this only bounds a pipe held by a process that left the group. */
const PIPE_CLOSE_MS = 5_000;
/** Windows has no process groups to signal; there the child alone is signalled. */
const GROUPS = process.platform !== "win32";
/** Sends a signal to a whole process group, ignoring a group that is already gone. */
function signalProcessGroup(pgid, signal) {
    try {
        process.kill(-pgid, signal);
    }
    catch {
        // Already gone.
    }
}
/** Whether any process of the group is still alive (signal 0 checks without sending anything). */
function groupAlive(pgid) {
    if (!GROUPS)
        return false;
    try {
        process.kill(-pgid, 0);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Runs a program to completion in its own process group, so stopping it (timeout or abort)
 * reaches everything it started, not just the shell: SIGTERM (or SIGINT first), then SIGKILL
 * after a grace period. Keeps a bounded tail of each stream and can stream whole lines.
 */
function runProcess(file, args, options = {}) {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const env = options.inheritEnv === false ? options.env : { ...process_environment_processEnvironment(), ...options.env };
        // node:child_process is loaded on the first run, not at every action's start-up (issue 19).
        const { spawn } = process.getBuiltinModule("node:child_process");
        const child = spawn(file, args, {
            cwd: options.cwd,
            env: env,
            shell: options.shell ?? false,
            detached: GROUPS,
            stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        });
        const pgid = child.pid;
        // Both pipes exist: stdio is "pipe" for them above.
        const stdout = child.stdout;
        const stderr = child.stderr;
        const maxOutput = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
        const kept = { stdout: "", stderr: "" };
        const partial = { stdout: "", stderr: "" };
        const onData = (stream) => (chunk) => {
            kept[stream] += chunk;
            if (kept[stream].length > maxOutput)
                kept[stream] = kept[stream].slice(-maxOutput);
            if (!options.onLine)
                return;
            const lines = (partial[stream] + chunk).split("\n");
            partial[stream] = lines.pop();
            for (const line of lines)
                options.onLine(line.replace(/\r$/, ""), stream);
        };
        stdout.setEncoding("utf8").on("data", onData("stdout"));
        stderr.setEncoding("utf8").on("data", onData("stderr"));
        if (child.stdin) {
            // A command that never reads stdin closes it early; that is not an error.
            child.stdin.on("error", () => { });
            child.stdin.end(options.input);
        }
        let timedOut = false;
        let cancelled = false;
        let stopping = false;
        const timers = [];
        const send = (signal) => {
            if (GROUPS && pgid !== undefined)
                signalProcessGroup(pgid, signal);
            else
                child.kill(signal);
        };
        const later = (ms, action) => {
            const timer = setTimeout(action, ms);
            timer.unref();
            timers.push(timer);
        };
        const stop = () => {
            if (stopping)
                return;
            stopping = true;
            const killGrace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
            if (options.interruptGraceMs === undefined) {
                send("SIGTERM");
                later(killGrace, () => send("SIGKILL"));
            }
            else {
                send("SIGINT");
                later(options.interruptGraceMs, () => send("SIGTERM"));
                later(options.interruptGraceMs + killGrace, () => send("SIGKILL"));
            }
        };
        if (options.timeoutMs !== undefined) {
            const timer = setTimeout(() => {
                timedOut = true;
                stop();
            }, options.timeoutMs);
            timers.push(timer);
        }
        const onAbort = () => {
            cancelled = true;
            stop();
        };
        const release = () => {
            for (const timer of timers)
                clearTimeout(timer);
            options.signal?.removeEventListener("abort", onAbort);
        };
        if (options.signal?.aborted)
            onAbort();
        else
            options.signal?.addEventListener("abort", onAbort, { once: true });
        child.once("error", (error) => {
            release();
            reject(error);
        });
        child.once("exit", (exitCode, signal) => {
            release();
            // A background child may hold the pipes open: read what is buffered, then let go.
            let finished = false;
            const finish = () => {
                if (finished)
                    return;
                finished = true;
                for (const stream of ["stdout", "stderr"]) {
                    if (partial[stream])
                        options.onLine?.(partial[stream].replace(/\r$/, ""), stream);
                    partial[stream] = "";
                }
                stdout.destroy();
                stderr.destroy();
                const durationMs = performance.now() - started;
                resolve({ exitCode, signal, stdout: kept.stdout, stderr: kept.stderr, durationMs, timedOut, cancelled, processGroup: pgid });
            };
            if (stdout.readableEnded && stderr.readableEnded)
                return finish();
            const drain = setTimeout(finish, pgid !== undefined && groupAlive(pgid) ? PIPE_DRAIN_MS : PIPE_CLOSE_MS);
            let open = 2;
            const closed = () => {
                open -= 1;
                if (open === 0) {
                    clearTimeout(drain);
                    finish();
                }
            };
            for (const stream of [stdout, stderr]) {
                if (stream.readableEnded)
                    closed();
                else
                    stream.once("end", closed);
            }
        });
    });
}
/** The last few lines of a command's output (stderr first), for messages. */
function outputTail(result, lines = 8) {
    const text = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join("\n");
    return text.split(/\r?\n/).slice(-lines).join("\n");
}
/** How a command ended, in words: `exit 1`, `killed by SIGTERM`, `no result within 30000ms (killed)`. */
function describeExit(result, timeoutMs) {
    if (result.timedOut)
        return `no result within ${timeoutMs}ms (killed)`;
    if (result.exitCode === null)
        return `killed by ${result.signal ?? "a signal"}`;
    return `exit ${result.exitCode}`;
}

;// CONCATENATED MODULE: ./packages/core/src/secret-structured-input.ts


const PLAIN = "plain YAML or JSON without anchors (&), aliases (*), tags (!) or merge keys (<<): a secret input is read literally";
/**
 * A structured input that holds secrets (headers, router-env). Its text is never quoted in an
 * error, and YAML features that change what a value means — anchors, aliases, tags, merge keys —
 * are refused rather than resolved, so what the user wrote is what is sent.
 */
function secretStructuredInput(schema) {
    return z
        .string()
        .transform((text, ctx) => {
        const lines = new LineCounter();
        // logLevel silent: yaml would otherwise print warnings naming tags from the secret text.
        const doc = parseDocument(text, { uniqueKeys: true, logLevel: "silent", lineCounter: lines });
        const at = (offset) => {
            if (offset === undefined)
                return "";
            const { line, col } = lines.linePos(offset);
            return ` at line ${line}, column ${col}`;
        };
        const error = doc.errors[0];
        if (error) {
            // The error's code and place only: yaml's own message quotes the source.
            ctx.addIssue({ code: "custom", message: "a YAML or JSON document", params: { syntaxError: `${error.code}${at(error.pos[0])}` } });
            return z.NEVER;
        }
        const feature = yamlFeatureIn(doc);
        if (feature) {
            // The line only: the node's column would count the characters of the secret before it.
            const line = feature.offset === undefined ? "" : ` on line ${lines.linePos(feature.offset).line}`;
            ctx.addIssue({ code: "custom", message: PLAIN, params: { given: `${feature.what}${line}` } });
            return z.NEVER;
        }
        return doc.toJS();
    })
        .pipe(schema);
}
/** The first anchor, alias, explicit tag or merge key in a document, with where it starts. */
function yamlFeatureIn(doc) {
    let found;
    visit(doc, {
        Alias(_key, node) {
            found = { what: "an alias (*)", offset: node.range?.[0] };
            return visit.BREAK;
        },
        Pair(_key, pair) {
            if (isScalar(pair.key) && pair.key.value === "<<") {
                found = { what: "a merge key (<<)", offset: pair.key.range?.[0] };
                return visit.BREAK;
            }
            return undefined;
        },
        Node(_key, node) {
            if (isAlias(node))
                return undefined;
            if (node.anchor)
                found = { what: "an anchor (&)", offset: node.range?.[0] };
            else if (node.tag)
                found = { what: "a tag (!)", offset: node.range?.[0] };
            return found ? visit.BREAK : undefined;
        },
    });
    return found;
}

;// CONCATENATED MODULE: ./packages/core/src/index.ts



















;// CONCATENATED MODULE: ./packages/migrations/src/lint-rules.ts
const NOT_VALID_THEN_VALIDATE = "add it with NOT VALID (checks new writes only, brief lock), then VALIDATE CONSTRAINT in a later statement or migration (scans without blocking writes)";
/** Every rule by id. The ids are what findings, annotations, the docs and the corpus tests name. */
const LINT_RULES = {
    // ── contract: the live color's reads or writes fail ──────────────────────────────────────────
    "drop-table": {
        class: "contract",
        reason: "drops a table the live color may still read or write",
        fix: "stop using the table in this release; drop it in a later deployment, once no running color uses it",
    },
    "drop-object": {
        class: "contract",
        reason: "drops an object (view, function, type, sequence, schema…) the live color may still use",
        fix: "stop using it in this release; drop it in a later deployment",
    },
    truncate: {
        class: "contract",
        reason: "deletes every row while the live color is serving from them (and holds an ACCESS EXCLUSIVE lock)",
        fix: "move data removal to a later deployment, after no running color reads it; delete in batches if the table is large",
    },
    "drop-column": {
        class: "contract",
        reason: "drops a column the live color still selects or inserts",
        fix: "release code that no longer uses the column first; drop the column in a later deployment",
    },
    "rename-column": {
        class: "contract",
        reason: "renames a column the live color refers to by its old name",
        fix: "expand: add the new column and write to both (or a trigger copies); contract: drop the old column in a later deployment",
    },
    "rename-table": {
        class: "contract",
        reason: "renames a table the live color refers to by its old name",
        fix: "expand: create the new table (or a view with the new name) and write to both; contract: remove the old name in a later deployment",
    },
    "rename-object": {
        class: "contract",
        reason: "renames an object (view, function, type, sequence, schema…) the live color refers to by its old name",
        fix: "create the new name alongside the old one; remove the old name in a later deployment",
    },
    "change-column-type": {
        class: "contract",
        reason: "changes a column's type under the live color's reads and writes",
        fix: "expand: add a column of the new type, backfill and write to both; contract: drop the old column in a later deployment",
    },
    "set-not-null": {
        class: "contract",
        reason: "makes a column NOT NULL: inserts from the live color that omit it will fail",
        fix: "expand: give the column a DEFAULT and backfill; contract: SET NOT NULL once every running color writes it",
    },
    "drop-default": {
        class: "contract",
        reason: "drops a default the live color relies on when it omits the column",
        fix: "keep the default until no running color omits the column; drop it in a later deployment",
    },
    "drop-constraint": {
        class: "contract",
        reason: "drops a constraint the live color may rely on (uniqueness, references, checks)",
        fix: "drop it in a later deployment, once no running color relies on it",
    },
    "add-constraint": {
        class: "contract",
        reason: "adds a constraint: writes from the live color that violate it will fail",
        fix: "release code that satisfies the constraint first; add the constraint in a later deployment",
    },
    "add-unique-index": {
        class: "contract",
        reason: "adds a unique index: writes from the live color that repeat a value will fail",
        fix: "release code that never writes duplicates first; add the unique index (CONCURRENTLY) in a later deployment",
    },
    "add-not-null-column": {
        class: "contract",
        reason: "adds a NOT NULL column without a default: inserts from the live color, which does not know the column, will fail (and the statement fails on a table with rows)",
        fix: "expand: add the column nullable or with a constant DEFAULT and backfill; contract: SET NOT NULL in a later deployment",
    },
    "change-type": {
        class: "contract",
        reason: "renames or removes part of a type (enum value, attribute) the live color reads and writes",
        fix: "add a new value or type instead; remove the old one in a later deployment",
    },
    // ── lock hazards: the live color's queries wait behind a lock ────────────────────────────────
    "index-not-concurrent": {
        class: "lock-hazard",
        reason: "builds an index without CONCURRENTLY: the SHARE lock blocks every write to the table for the whole build",
        fix: "CREATE INDEX CONCURRENTLY in a migration of its own that starts with -- cutover:no-transaction",
    },
    "drop-index-not-concurrent": {
        class: "lock-hazard",
        reason: "drops an index without CONCURRENTLY: the ACCESS EXCLUSIVE lock on its table blocks reads and writes, and waits behind every running query",
        fix: "DROP INDEX CONCURRENTLY in a migration of its own that starts with -- cutover:no-transaction",
    },
    "add-column-rewrites-table": {
        class: "lock-hazard",
        reason: "adds a column whose value must be computed per row (volatile default, serial, identity or stored generated column): the table is rewritten under an ACCESS EXCLUSIVE lock",
        fix: "add the column nullable (or with a constant default), backfill in batches, then set the default for new rows",
    },
    "column-type-rewrites-table": {
        class: "lock-hazard",
        reason: "changing a column's type rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, except for a few binary-compatible changes",
        fix: "add a new column of the new type, backfill in batches, switch reads and writes, drop the old column later",
    },
    "set-not-null-scans-table": {
        class: "lock-hazard",
        reason: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to check every row",
        fix: `add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan) and drop the check`,
    },
    "constraint-not-valid": {
        class: "lock-hazard",
        reason: "adds a CHECK or FOREIGN KEY that is validated at once: every row is scanned while writes are blocked (a foreign key also locks the referenced table)",
        fix: NOT_VALID_THEN_VALIDATE,
    },
    "constraint-builds-index": {
        class: "lock-hazard",
        reason: "adds a UNIQUE, PRIMARY KEY or EXCLUDE constraint that builds its index under an ACCESS EXCLUSIVE lock",
        fix: "CREATE UNIQUE INDEX CONCURRENTLY first (no-transaction migration), then ADD CONSTRAINT … UNIQUE / PRIMARY KEY USING INDEX",
    },
    "rewrites-table": {
        class: "lock-hazard",
        reason: "rewrites or rebuilds the table (VACUUM FULL, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW, SET TABLESPACE/LOGGED…) under a lock that blocks the live color",
        fix: "use the CONCURRENTLY form where there is one (REINDEX, REFRESH MATERIALIZED VIEW), or run it in a maintenance window outside the deployment",
    },
    "missing-lock-timeout": {
        class: "lock-hazard",
        reason: "takes a lock on a table the live color uses, with no lock_timeout set earlier in the file: while it waits behind a long query, every query of the live color queues behind it",
        fix: "start the migration with SET lock_timeout = '5s'; (and let a retry run it again) so a blocked statement fails fast instead of stalling traffic",
    },
    "concurrently-in-transaction": {
        class: "lock-hazard",
        reason: "CONCURRENTLY cannot run inside a transaction block, and this migration runs in one: it would fail",
        fix: "put the statement in a migration of its own whose first line is -- cutover:no-transaction",
        acceptable: false,
    },
    // ── cannot judge: refused until a marker says what it is ─────────────────────────────────────
    "dynamic-sql": {
        class: "cannot-judge",
        reason: "runs SQL the lint cannot see (DO block, procedure call, EXECUTE): it may drop, rename or lock anything",
        fix: "write the statements out as plain SQL, or accept this one with -- cutover:expand-ok <reason> or -- cutover:contract-ok <reason> after reading it",
    },
    "unknown-statement": {
        class: "cannot-judge",
        reason: "a statement the rules do not know: the lint cannot say whether the live color keeps working",
        fix: "accept it with -- cutover:expand-ok <reason> or -- cutover:contract-ok <reason> after checking what it does",
    },
    "syntax-error": {
        class: "cannot-judge",
        reason: "PostgreSQL's parser rejects the file, so the migration would fail",
        fix: "fix the SQL (the message says where)",
        acceptable: false,
    },
    // ── SQLite ───────────────────────────────────────────────────────────────────────────────────
    "sqlite-alter-unsupported": {
        class: "cannot-judge",
        reason: "SQLite's ALTER TABLE only supports RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN: this statement would fail",
        fix: "change the table with a rebuild (create new table, copy, drop, rename) in a contract deployment, or avoid the change",
        acceptable: false,
    },
    "sqlite-add-column-limits": {
        class: "cannot-judge",
        reason: "SQLite cannot ADD COLUMN with PRIMARY KEY or UNIQUE, NOT NULL without a non-null default, or a non-constant default: this statement would fail",
        fix: "add the column nullable or with a constant default; add a unique index separately (CREATE UNIQUE INDEX is contract)",
        acceptable: false,
    },
    "sqlite-table-rebuild": {
        class: "contract",
        reason: "rebuilds the table (copy into a new table, drop the old one, rename): the live color's writes during the copy are lost and it sees the table vanish",
        fix: "prefer ADD COLUMN (expand); when a rebuild is unavoidable, ship it as a contract deployment of its own",
    },
};

;// CONCATENATED MODULE: ./packages/migrations/src/postgres-rules.ts
/** The single key of a parse-tree node and its body. */
function unwrap(node) {
    const [entry] = Object.entries(node ?? {});
    return entry ? [entry[0], entry[1]] : ["", {}];
}
/** Unqualified table name as the parser folds it: what tells a new table of this plan from an old one. */
function tableKey(relation) {
    return relation?.relname ?? "";
}
// Statements that only add things, change data, or set session state: expand, no lock worth a rule.
const EXPAND_STATEMENTS = new Set([
    "ViewStmt",
    "CreateFunctionStmt",
    "CreateSeqStmt",
    "AlterSeqStmt",
    "CreateSchemaStmt",
    "CreateExtensionStmt",
    "AlterExtensionStmt",
    "CompositeTypeStmt",
    "CreateEnumStmt",
    "CreateDomainStmt",
    "CreateRangeStmt",
    "CommentStmt",
    "GrantStmt",
    "GrantRoleStmt",
    "CreateRoleStmt",
    "AlterRoleStmt",
    "AlterDefaultPrivilegesStmt",
    "InsertStmt",
    "UpdateStmt",
    "DeleteStmt",
    "SelectStmt",
    "VariableShowStmt",
    "TransactionStmt",
    "CreatePolicyStmt",
    "AlterOwnerStmt",
    "AlterFunctionStmt",
    "DefineStmt",
    "CreateCastStmt",
    "NotifyStmt",
    "CreateStatsStmt",
    "AnalyzeStmt",
]);
const DROP_TABLE_TYPES = new Set(["OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"]);
const RENAME_EXPAND = new Set(["OBJECT_TABCONSTRAINT", "OBJECT_INDEX", "OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE"]);
const SERIAL_TYPES = new Set(["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]);
// Functions a default may call without forcing a rewrite: stable or immutable, evaluated once by ALTER TABLE.
const NON_VOLATILE_FUNCTIONS = new Set([
    "now",
    "statement_timestamp",
    "transaction_timestamp",
    "current_setting",
    "lower",
    "upper",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "json_build_array",
    "to_jsonb",
    "to_json",
    "array_fill",
    "make_date",
    "make_interval",
]);
/** True when an expression calls a function that is (or may be) volatile. */
function callsVolatile(node) {
    if (Array.isArray(node))
        return node.some(callsVolatile);
    if (!node || typeof node !== "object")
        return false;
    for (const [key, value] of Object.entries(node)) {
        if (key === "FuncCall") {
            const names = (value.funcname ?? []).map((n) => unwrap(n)[1].sval);
            if (!NON_VOLATILE_FUNCTIONS.has(names.at(-1) ?? ""))
                return true;
        }
        if (callsVolatile(value))
            return true;
    }
    return false;
}
function constraintsOf(def) {
    return (def.constraints ?? []).map((c) => unwrap(c)[1]);
}
function addColumnRules(def) {
    const constraints = constraintsOf(def);
    const has = (type) => constraints.some((c) => c.contype === type);
    const typeName = (def.typeName?.names ?? []).map((n) => unwrap(n)[1].sval).at(-1) ?? "";
    const serial = SERIAL_TYPES.has(typeName);
    const defaults = constraints.filter((c) => c.contype === "CONSTR_DEFAULT");
    const stored = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v");
    const rules = [];
    if (has("CONSTR_NOTNULL") && defaults.length === 0 && !has("CONSTR_IDENTITY") && !has("CONSTR_GENERATED") && !serial) {
        rules.push("add-not-null-column");
    }
    if (serial || has("CONSTR_IDENTITY") || stored || defaults.some((c) => callsVolatile(c.raw_expr)))
        rules.push("add-column-rewrites-table");
    if (has("CONSTR_PRIMARY") || has("CONSTR_UNIQUE"))
        rules.push("constraint-builds-index");
    if (has("CONSTR_FOREIGN") || has("CONSTR_CHECK"))
        rules.push("constraint-not-valid");
    return rules;
}
function addConstraintRules(constraint) {
    switch (constraint.contype) {
        case "CONSTR_CHECK":
        case "CONSTR_FOREIGN":
            return constraint.skip_validation ? ["add-constraint"] : ["add-constraint", "constraint-not-valid"];
        case "CONSTR_UNIQUE":
        case "CONSTR_PRIMARY":
            // USING INDEX promotes an index built CONCURRENTLY earlier: writes already obey it, no build under lock.
            return constraint.indexname ? [] : ["add-constraint", "constraint-builds-index"];
        case "CONSTR_EXCLUSION":
            return ["add-constraint", "constraint-builds-index"];
        case "CONSTR_NOTNULL":
            return ["set-not-null", "set-not-null-scans-table"];
        default:
            return undefined;
    }
}
const QUIET_TABLE_COMMANDS = new Set([
    "AT_DropNotNull",
    "AT_ValidateConstraint",
    "AT_SetStatistics",
    "AT_SetOptions",
    "AT_ResetOptions",
    "AT_SetStorage",
    "AT_SetCompression",
    "AT_DropExpression",
    "AT_AddIdentity",
    "AT_SetIdentity",
    "AT_ChangeOwner",
    "AT_SetRelOptions",
    "AT_ResetRelOptions",
    "AT_ClusterOn",
    "AT_DropCluster",
    "AT_ReplicaIdentity",
    "AT_EnableTrig",
    "AT_EnableAlwaysTrig",
    "AT_EnableReplicaTrig",
    "AT_DisableTrig",
    "AT_EnableTrigAll",
    "AT_DisableTrigAll",
    "AT_EnableTrigUser",
    "AT_DisableTrigUser",
]);
const REWRITE_TABLE_COMMANDS = new Set(["AT_SetTableSpace", "AT_SetLogged", "AT_SetUnLogged", "AT_SetAccessMethod"]);
/** The rules one ALTER TABLE subcommand breaks; undefined when the rules do not know the subcommand. */
function tableCommandRules(cmd, objtype) {
    const subtype = cmd.subtype ?? "";
    if (objtype === "OBJECT_TYPE")
        return subtype === "AT_AddColumn" ? [] : ["change-type"];
    if (QUIET_TABLE_COMMANDS.has(subtype))
        return [];
    if (REWRITE_TABLE_COMMANDS.has(subtype))
        return ["rewrites-table"];
    switch (subtype) {
        case "AT_AddColumn":
            return addColumnRules(unwrap(cmd.def)[1]);
        case "AT_ColumnDefault":
            return cmd.def ? [] : ["drop-default"];
        case "AT_DropIdentity":
            return ["drop-default"];
        case "AT_SetNotNull":
            return ["set-not-null", "set-not-null-scans-table"];
        case "AT_DropColumn":
            return ["drop-column"];
        case "AT_AlterColumnType":
            return ["change-column-type", "column-type-rewrites-table"];
        case "AT_DropConstraint":
            return ["drop-constraint"];
        case "AT_AddConstraint":
            return addConstraintRules(unwrap(cmd.def)[1]);
        default:
            return undefined;
    }
}
/** Rules for one parsed statement. Updates `state` (new tables, lock_timeout) as the file goes on. */
function postgresStatementRules(node, state) {
    const [kind, body] = unwrap(node);
    const isNew = (relation) => state.newTables.has(tableKey(relation));
    // Rules on an existing table; a lock on it without lock_timeout adds one more.
    const onTable = (relation, rules, takesLock = true) => {
        if (isNew(relation))
            return [];
        return takesLock && !state.lockTimeout ? [...rules, "missing-lock-timeout"] : rules;
    };
    switch (kind) {
        case "CreateStmt":
            state.newTables.add(tableKey(body.relation));
            return [];
        case "CreateTableAsStmt":
            state.newTables.add(tableKey(body.into?.rel));
            return [];
        case "SelectStmt":
            if (body.intoClause) {
                state.newTables.add(tableKey(body.intoClause.rel));
            }
            return [];
        case "VariableSetStmt": {
            const set = body;
            if (set.name === "lock_timeout") {
                const value = unwrap(set.args?.[0])[1];
                // The parse tree leaves out a zero integer: `{ ival: {} }` is SET lock_timeout = 0, which disables it.
                const zero = value.ival ? (value.ival.ival ?? 0) === 0 : /^0+\s*(?:ms|s|min)?$/i.test(value.sval?.sval?.trim() ?? "");
                // SET LOCAL outside a transaction block (a no-transaction file) lasts for nothing.
                state.lockTimeout = set.kind === "VAR_SET_VALUE" && !zero && (state.transactional || !set.is_local);
            }
            return [];
        }
        case "IndexStmt": {
            const index = body;
            if (isNew(index.relation))
                return [];
            const rules = index.unique ? ["add-unique-index"] : [];
            if (!index.concurrent)
                return onTable(index.relation, [...rules, "index-not-concurrent"]);
            return state.transactional ? [...rules, "concurrently-in-transaction"] : rules;
        }
        case "AlterTableStmt": {
            const alter = body;
            if (isNew(alter.relation))
                return [];
            const rules = [];
            for (const cmd of alter.cmds ?? []) {
                const found = tableCommandRules(unwrap(cmd)[1], alter.objtype);
                if (!found)
                    return ["unknown-statement"];
                for (const rule of found)
                    if (!rules.includes(rule))
                        rules.push(rule);
            }
            return onTable(alter.relation, rules, alter.objtype !== "OBJECT_TYPE");
        }
        case "RenameStmt": {
            const rename = body;
            const type = rename.renameType ?? "";
            if (RENAME_EXPAND.has(type))
                return [];
            if (type === "OBJECT_COLUMN")
                return onTable(rename.relation, ["rename-column"]);
            if (type === "OBJECT_TABLE")
                return onTable(rename.relation, ["rename-table"]);
            return ["rename-object"];
        }
        case "AlterObjectSchemaStmt":
            return ["rename-object"];
        case "DropStmt": {
            const drop = body;
            const type = drop.removeType ?? "";
            if (type === "OBJECT_INDEX") {
                if (!drop.concurrent)
                    return state.lockTimeout ? ["drop-index-not-concurrent"] : ["drop-index-not-concurrent", "missing-lock-timeout"];
                return state.transactional ? ["concurrently-in-transaction"] : [];
            }
            if (!DROP_TABLE_TYPES.has(type))
                return ["drop-object"];
            const names = (drop.objects ?? []).map((o) => unwrap(o)[1].items?.map((n) => unwrap(n)[1].sval).at(-1));
            if (names.every((name) => state.newTables.has(name)))
                return [];
            return state.lockTimeout ? ["drop-table"] : ["drop-table", "missing-lock-timeout"];
        }
        case "TruncateStmt": {
            const relations = (body.relations ?? []).map((r) => unwrap(r)[1]);
            if (relations.every(isNew))
                return [];
            return state.lockTimeout ? ["truncate"] : ["truncate", "missing-lock-timeout"];
        }
        case "AlterEnumStmt":
            return body.oldVal ? ["change-type"] : [];
        case "CreateTrigStmt":
            return onTable(body.relation, []);
        case "LockStmt":
            return state.lockTimeout ? [] : ["missing-lock-timeout"];
        case "DoStmt":
        case "CallStmt":
        case "ExecuteStmt":
            return ["dynamic-sql"];
        case "VacuumStmt": {
            const options = (body.options ?? []).map((o) => unwrap(o)[1].defname);
            return options.includes("full") ? ["rewrites-table"] : [];
        }
        case "ClusterStmt":
            return ["rewrites-table"];
        case "ReindexStmt": {
            const params = (body.params ?? []).map((o) => unwrap(o)[1].defname);
            if (!params.includes("concurrently"))
                return ["rewrites-table"];
            return state.transactional ? ["concurrently-in-transaction"] : [];
        }
        case "RefreshMatViewStmt":
            // Unlike index builds, REFRESH … CONCURRENTLY may run inside a transaction.
            return body.concurrent ? [] : ["rewrites-table"];
        default:
            return EXPAND_STATEMENTS.has(kind) ? [] : ["unknown-statement"];
    }
}

// EXTERNAL MODULE: ./packages/migrations/src/postgres-statements.ts
var postgres_statements = __webpack_require__(5875);
;// CONCATENATED MODULE: ./packages/migrations/src/sql-splitter.ts
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;
/**
 * Splits a SQL script into statements on top-level semicolons. Quotes ('…', "…", E'…'),
 * dollar-quoted bodies ($$…$$, $fn$…$fn$), line comments and nested block comments are
 * skipped whole, so a semicolon inside a function body never splits it. SQLite trigger
 * bodies (CREATE TRIGGER … BEGIN … END) are kept together.
 */
function splitStatements(sql) {
    const statements = [];
    let line = 1;
    let start = -1;
    let startLine = 1;
    let comments = [];
    let depthBeginEnd = 0;
    let i = 0;
    const n = sql.length;
    const flush = (end) => {
        if (start >= 0) {
            const text = sql.slice(start, end).trim();
            if (text)
                statements.push({ text, line: startLine, comments });
        }
        start = -1;
        comments = [];
        depthBeginEnd = 0;
    };
    while (i < n) {
        const ch = sql[i];
        const next = sql[i + 1];
        if (ch === "\n") {
            line++;
            i++;
            continue;
        }
        if (ch === "-" && next === "-") {
            const end = sql.indexOf("\n", i);
            const stop = end === -1 ? n : end;
            if (start < 0)
                comments.push(sql.slice(i + 2, stop).trim());
            i = stop;
            continue;
        }
        if (ch === "/" && next === "*") {
            let depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (sql[i] === "\n")
                    line++;
                if (sql[i] === "/" && sql[i + 1] === "*") {
                    depth++;
                    i += 2;
                }
                else if (sql[i] === "*" && sql[i + 1] === "/") {
                    depth--;
                    i += 2;
                }
                else
                    i++;
            }
            continue;
        }
        if (/\s/.test(ch)) {
            i++;
            continue;
        }
        if (start < 0) {
            start = i;
            startLine = line;
        }
        if (ch === "'" || ch === '"' || ch === "`") {
            // E'…' strings allow backslash escapes; standard strings double the quote.
            const backslash = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1]) && !/\w/.test(sql[i - 2] ?? " ");
            i++;
            while (i < n) {
                const c = sql[i];
                if (c === "\n")
                    line++;
                if (backslash && c === "\\") {
                    i += 2;
                    continue;
                }
                if (c === ch) {
                    if (sql[i + 1] === ch) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            i++;
            continue;
        }
        if (ch === "$" && !/\w/.test(sql[i - 1] ?? " ")) {
            const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64))?.[0];
            if (tag) {
                const close = sql.indexOf(tag, i + tag.length);
                const stop = close === -1 ? n : close + tag.length;
                for (let k = i; k < stop; k++)
                    if (sql[k] === "\n")
                        line++;
                i = stop;
                continue;
            }
        }
        if (/[A-Za-z_]/.test(ch) && !/\w/.test(sql[i - 1] ?? " ")) {
            let j = i + 1;
            while (j < n && /\w/.test(sql[j]))
                j++;
            const word = sql.slice(i, j).toUpperCase();
            // Only a trigger body opens a BEGIN…END block that may hold semicolons.
            if (word === "BEGIN" && /^\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b/i.test(sql.slice(start, i)))
                depthBeginEnd++;
            else if (word === "CASE" && depthBeginEnd > 0)
                depthBeginEnd++;
            else if (word === "END" && depthBeginEnd > 0)
                depthBeginEnd--;
            i = j;
            continue;
        }
        if (ch === ";" && depthBeginEnd === 0) {
            flush(i);
            i++;
            continue;
        }
        i++;
    }
    flush(n);
    return statements;
}

;// CONCATENATED MODULE: ./packages/migrations/src/sqlite-rules.ts
// SQLite has no parser on npm worth its weight here; its DDL is small enough for patterns over
// statements the splitter has already freed of comments and quoted text.
const IDENT = String.raw `(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$]+)`;
const QUALIFIED = String.raw `(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ALTER_TABLE = new RegExp(String.raw `^ALTER\s+TABLE\s+${QUALIFIED}\s+([\s\S]*)$`, "i");
const CREATE_TABLE = new RegExp(String.raw `^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, "i");
const CREATE_UNIQUE_INDEX = new RegExp(String.raw `^CREATE\s+UNIQUE\s+INDEX\b[\s\S]*?\bON\s+${QUALIFIED}`, "i");
const DROP_TABLE = new RegExp(String.raw `^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QUALIFIED}`, "i");
const DROP_OBJECT = /^DROP\s+(?:VIEW|TRIGGER)\b/i;
const RENAME_TO = new RegExp(String.raw `^RENAME\s+TO\s+${QUALIFIED}`, "i");
const RENAME_COLUMN = /^RENAME\s+(?:COLUMN\s+)?\S+\s+TO\b/i;
const DROP_COLUMN = /^DROP\s+(?:COLUMN\s+)?\S+/i;
const ADD_COLUMN = /^ADD\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|CHECK|UNIQUE|PRIMARY|FOREIGN)\b)\S+\s*([\s\S]*)$/i;
/** Unquoted, lower-cased, unqualified name (SQLite names are case-insensitive). */
function sqliteTableKey(name) {
    const last = name.split(/\s*\.\s*/).pop() ?? name;
    return /^["`[]/.test(last) ? last.slice(1, -1).replaceAll('""', '"').toLowerCase() : last.toLowerCase();
}
function sqlite_rules_addColumnRules(definition) {
    if (/\b(?:PRIMARY\s+KEY|UNIQUE)\b/i.test(definition))
        return ["sqlite-add-column-limits"];
    const defaultClause = /\bDEFAULT\s+(\([\s\S]*\)|CURRENT_(?:TIME|DATE|TIMESTAMP)\b|NULL\b)?/i.exec(definition);
    // SQLite refuses a non-constant default (parenthesised expression or CURRENT_*) on ADD COLUMN.
    if (defaultClause?.[1] && !/^NULL$/i.test(defaultClause[1]))
        return ["sqlite-add-column-limits"];
    const notNull = /\bNOT\s+NULL\b/i.test(definition);
    if (notNull && (!defaultClause || /^NULL$/i.test(defaultClause[1] ?? "")))
        return ["sqlite-add-column-limits"];
    return [];
}
/** Rules for one SQLite statement (text without comments); `index` is its position in the file. */
function sqliteStatementRules(text, index, state) {
    const created = CREATE_TABLE.exec(text);
    if (created) {
        state.newTables.add(sqliteTableKey(created[1]));
        return [];
    }
    const isNew = (name) => state.newTables.has(sqliteTableKey(name));
    const dropped = DROP_TABLE.exec(text);
    if (dropped) {
        if (isNew(dropped[1]))
            return [];
        state.dropped.set(sqliteTableKey(dropped[1]), index);
        return ["drop-table"];
    }
    if (DROP_OBJECT.test(text))
        return ["drop-object"];
    const unique = CREATE_UNIQUE_INDEX.exec(text);
    if (unique)
        return isNew(unique[1]) ? [] : ["add-unique-index"];
    const alter = ALTER_TABLE.exec(text);
    if (!alter)
        return [];
    const table = alter[1];
    const action = alter[2].trim();
    const renamed = RENAME_TO.exec(action);
    if (renamed) {
        // The 12-step rebuild ends by renaming the copy over the dropped original.
        if (isNew(table) && state.dropped.has(sqliteTableKey(renamed[1])))
            return ["sqlite-table-rebuild"];
        return isNew(table) ? [] : ["rename-table"];
    }
    if (RENAME_COLUMN.test(action))
        return isNew(table) ? [] : ["rename-column"];
    if (DROP_COLUMN.test(action))
        return isNew(table) ? [] : ["drop-column"];
    const added = ADD_COLUMN.exec(action);
    if (added) {
        const limits = sqlite_rules_addColumnRules(added[1]);
        if (limits.length > 0 || isNew(table))
            return limits;
        return [];
    }
    return ["sqlite-alter-unsupported"];
}

;// CONCATENATED MODULE: ./packages/migrations/src/lint.ts





const CONTRACT_OK_MARKER = "cutover:contract-ok";
const EXPAND_OK_MARKER = "cutover:expand-ok";
const LOCK_OK_MARKER = "cutover:lock-ok";
/** Which classes each marker accepts, and what the statement then counts as. */
const MARKERS = [
    { marker: CONTRACT_OK_MARKER, accepts: ["contract", "cannot-judge"], as: "contract" },
    { marker: EXPAND_OK_MARKER, accepts: ["cannot-judge"], as: "expand" },
    { marker: LOCK_OK_MARKER, accepts: ["lock-hazard"], as: "lock-ok" },
];
function oneLine(text) {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
async function postgresStatements(parsing, state) {
    const parsed = await parsing;
    if (!Array.isArray(parsed)) {
        return [{ line: parsed.line, text: `${LINT_RULES["syntax-error"].reason}: ${parsed.message}`, comments: [], rules: ["syntax-error"] }];
    }
    return parsed.map((s) => ({ line: s.line, text: s.text, comments: s.comments, rules: postgresStatementRules(s.node, state) }));
}
function sqliteStatements(sql, newTables) {
    const state = { newTables, dropped: new Map() };
    return splitStatements(sql).map((s, index) => ({ ...s, rules: sqliteStatementRules(s.text, index, state) }));
}
function isAcceptable(finding) {
    return LINT_RULES[finding.rule].acceptable !== false;
}
/** Findings of one statement, with its markers applied; marker problems go to `warnings`. */
function judge(statement, warnings) {
    const findings = statement.rules.map((rule) => ({
        line: statement.line,
        statement: oneLine(statement.text),
        rule,
        class: LINT_RULES[rule].class,
        reason: LINT_RULES[rule].reason,
        fix: LINT_RULES[rule].fix,
    }));
    for (const { marker, accepts, as } of MARKERS) {
        const comment = statement.comments.find((c) => c === marker || c.startsWith(`${marker} `));
        if (comment === undefined)
            continue;
        const because = comment.slice(marker.length).trim();
        const matching = findings.filter((f) => accepts.includes(f.class) && isAcceptable(f));
        if (matching.length === 0) {
            warnings.push(`line ${statement.line}: ${marker} precedes a statement it has nothing to accept`);
        }
        else if (!because) {
            warnings.push(`line ${statement.line}: ${marker} needs a reason after it, so it does not accept this statement`);
        }
        else {
            for (const finding of matching) {
                finding.acceptedBecause = because;
                finding.acceptedAs = as;
            }
        }
    }
    return findings;
}
/**
 * Lints one migration file: PostgreSQL through its real parser (libpg_query), SQLite with rules of
 * its own. Statements on tables created earlier in the plan are exempt (`newTables` is shared across
 * the pending migrations of a run). Marker lines before a statement accept its findings knowingly:
 * `-- cutover:contract-ok <reason>`, `-- cutover:expand-ok <reason>`, `-- cutover:lock-ok <reason>`.
 */
async function lintMigration(sql, options = {}) {
    const newTables = options.newTables ?? new Set();
    const statements = options.dialect === "sqlite"
        ? sqliteStatements(sql, newTables)
        : await postgresStatements(options.parsed ?? (0,postgres_statements/* parsePostgresSql */.Xb)(sql), {
            newTables,
            lockTimeout: false,
            transactional: options.transactional ?? true,
        });
    const warnings = [];
    const findings = statements.flatMap((statement) => judge(statement, warnings));
    const contract = findings.some((f) => f.class === "contract" || (f.class === "cannot-judge" && f.acceptedAs !== "expand"));
    return {
        compatibility: contract ? "contract" : "expand",
        findings,
        refused: findings.filter((f) => f.acceptedBecause === undefined && (f.class !== "lock-hazard" || !isAcceptable(f))),
        warnings,
    };
}
/** Lock-hazard findings no `-- cutover:lock-ok` marker accepted (refused only with lock-hazards: refuse). */
function unacceptedLockHazards(result) {
    return result.findings.filter((f) => f.class === "lock-hazard" && f.acceptedBecause === undefined && isAcceptable(f));
}

;// CONCATENATED MODULE: ./packages/migrations/src/lint-gate.ts


/** The findings that stop a plan under `policy`, each with the file it is in. */
function gateFindings(migrations, policy) {
    return migrations.flatMap(({ migration, lint }) => {
        const refused = lint.refused.filter((f) => !(policy.allowContract && f.class === "contract"));
        const locks = policy.refuseLockHazards ? unacceptedLockHazards(lint) : [];
        return [...refused, ...locks].sort((a, b) => a.line - b.line).map((finding) => ({ file: migration.upFile, finding }));
    });
}
/** Refuses the plan (nothing applied) with each statement, why it hurts the live color, and the split that would not. */
function assertLintGate(migrations, policy) {
    const refused = gateFindings(migrations, policy);
    if (refused.length === 0)
        return;
    throw new GateFailedError(`${refused.length} statement(s) would break the live color; nothing was applied. Split each into an expand migration now and a contract migration in a later deployment, or accept it with a marker line before it ('-- cutover:contract-ok <reason>', '-- cutover:expand-ok <reason>' for a statement the lint cannot judge, '-- cutover:lock-ok <reason>' for a lock hazard), or set allow-contract: true for contract statements`, refused.map(({ file, finding }) => ({
        subject: `${file} line ${finding.line}: ${finding.statement}`,
        measured: `${finding.class} (${finding.reason})`,
        expected: `expand only (rule ${finding.rule}); how to split: ${finding.fix}`,
    })));
}

;// CONCATENATED MODULE: ./packages/migrations/src/tracking-table.ts

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const DEFAULT_TRACKING_TABLE = "cutover_migrations";
/** The tracking table's name, checked and quoted for SQL: `"schema"."table"`. */
function quoteTrackingTable(name, input = "tracking-table") {
    if (!NAME.test(name)) {
        throw errors_ConfigError.single({
            input,
            path: "",
            given: JSON.stringify(name),
            expected: "a table name like cutover_migrations or schema.table (letters, digits, _)",
        });
    }
    return name
        .split(".")
        .map((part) => `"${part}"`)
        .join(".");
}

;// CONCATENATED MODULE: ./packages/migrations/src/interrupted-migration.ts

/**
 * Tracking rows left dirty: a migration run without a transaction (`-- cutover:no-transaction`)
 * that started and never finished, so some of its statements may be applied. Nothing can tell
 * which, so every run refuses until a person has looked, fixed the schema and cleared the row.
 */
function interruptedMigrationIssues(set, applied, trackingTable, input) {
    const files = new Map(set.migrations.map((m) => [m.version, m]));
    const table = quoteTrackingTable(trackingTable);
    return applied
        .filter((row) => row.dirty)
        .map((row) => ({
        input,
        path: files.get(row.version)?.upFile ?? `${row.version}_${row.name}.up.sql`,
        given: `an interrupted migration: it started at ${row.appliedAt} without a transaction (-- cutover:no-transaction) and never finished, so some of its statements may be applied (its row in ${trackingTable} is marked dirty)`,
        expected: `the schema fixed by hand before any further run: see which of its statements took effect, then either complete the rest by hand and run ` +
            `\`UPDATE ${table} SET dirty = false WHERE version = ${row.version};\` (it counts as applied), or undo what took effect and run ` +
            `\`DELETE FROM ${table} WHERE version = ${row.version};\` (it runs again next time)`,
    }));
}

;// CONCATENATED MODULE: ./packages/migrations/src/history.ts



/**
 * Holds the files against what the database recorded. Drift (an applied file changed), a gap
 * (an unapplied file older than the newest applied one) and an applied version whose file is
 * gone are all reported at once, each naming its file; so is a migration left dirty by an
 * interrupted no-transaction run.
 */
function compareHistory(set, applied, input = "migrations-dir", trackingTable = DEFAULT_TRACKING_TABLE) {
    const files = new Map(set.migrations.map((m) => [m.version, m]));
    const recorded = new Map(applied.map((a) => [a.version, a]));
    let current = 0n;
    for (const row of applied)
        if (row.version > current)
            current = row.version;
    // An interrupted migration comes first: until it is resolved, the rest of the history means little.
    const issues = interruptedMigrationIssues(set, applied, trackingTable, input);
    for (const row of applied) {
        const file = files.get(row.version);
        if (!file) {
            issues.push({
                input,
                path: `${row.version}_${row.name}.up.sql`,
                given: `version ${row.version} applied at ${row.appliedAt} but its file is missing`,
                expected: "every applied migration kept in the directory (never delete or renumber an applied migration)",
            });
        }
        else if (file.checksum !== row.checksum) {
            issues.push({
                input,
                path: file.upFile,
                given: `checksum ${file.checksum.slice(0, 12)}…, changed since it was applied at ${row.appliedAt} (checksum ${row.checksum.slice(0, 12)}…)`,
                expected: "applied migrations left unchanged; put the change in a new migration",
            });
        }
    }
    for (const file of set.migrations) {
        if (!recorded.has(file.version) && file.version < current) {
            issues.push({
                input,
                path: file.upFile,
                given: `a migration that is not applied, older than the newest applied version ${current}`,
                expected: "new migrations numbered after every applied one (renumber this file)",
            });
        }
    }
    if (issues.length > 0)
        throw new errors_ConfigError(issues);
    return { current, applied: [...applied], pending: set.migrations.filter((m) => !recorded.has(m.version)) };
}

;// CONCATENATED MODULE: ./packages/migrations/src/plan.ts




/**
 * What `apply` would do: pending migrations up to `toVersion` (all when undefined), each linted for
 * `dialect`. `earlier` is a plan of the same files made moments before: when the same migrations
 * are still pending, its lint stands (a batch's lint depends only on its files, in order), so a
 * run lints each file once, not once per look at the tracking table.
 */
async function planApply(set, applied, toVersion, dialect, trackingTable, earlier) {
    const history = compareHistory(set, applied, "migrations-dir", trackingTable);
    if (toVersion !== undefined && toVersion < history.current) {
        throw errors_ConfigError.single({
            input: "target-schema",
            path: "",
            given: `${toVersion}, below the applied version ${history.current}`,
            expected: "a version at or above the applied one for apply (use mode: down to go back)",
        });
    }
    if (toVersion !== undefined && toVersion !== history.current && !set.migrations.some((m) => m.version === toVersion)) {
        throw errors_ConfigError.single({
            input: "target-schema",
            path: "",
            given: String(toVersion),
            expected: "the version of a migration file in the directory",
        });
    }
    const chosen = history.pending.filter((m) => toVersion === undefined || m.version <= toVersion);
    const later = history.pending.filter((m) => toVersion !== undefined && m.version > toVersion);
    // Tables created earlier in the batch are new to the live color, so later statements on them are safe.
    const migrations = earlier && samePending(earlier.migrations, chosen) ? earlier.migrations : await lintPending(chosen, dialect);
    const last = chosen.at(-1);
    return {
        from: history.current,
        to: last ? last.version : history.current,
        migrations,
        later,
        compatibility: migrations.length === 0 ? "none" : migrations.some((m) => m.lint.compatibility === "contract") ? "contract" : "expand",
    };
}
function samePending(planned, chosen) {
    return planned.length === chosen.length && planned.every((p, i) => p.migration === chosen[i]);
}
/** How many files a batch lint has at the parser at once. */
const PARSE_AHEAD = 32;
/** Lints migrations as one batch, in order: tables created earlier in it are new to the live color, so later statements on them are safe. */
async function lintPending(migrations, dialect) {
    // Files go to the parser ahead of the rules (the child answers in turn, no round trip each), a
    // window at a time so a long batch's parse trees are not all held at once; the rules, which
    // depend on earlier files, run in order.
    const parses = [];
    const parseAhead = (end) => {
        while (dialect === "postgres" && parses.length < Math.min(end, migrations.length)) {
            const parse = (0,postgres_statements/* parsePostgresSql */.Xb)(migrations[parses.length].upSql);
            // One that fails while an earlier one is awaited is thrown in its turn, not reported unhandled.
            parse.catch(() => { });
            parses.push(parse);
        }
    };
    const newTables = new Set();
    const planned = [];
    for (const [i, migration] of migrations.entries()) {
        parseAhead(i + PARSE_AHEAD);
        const parsed = parses[i];
        parses[i] = undefined;
        planned.push({
            migration,
            lint: await lintMigration(migration.upSql, { dialect, newTables, transactional: migration.transactional, parsed }),
        });
    }
    return planned;
}
/** What `down` to `toVersion` would do, newest first; lists missing down files before touching anything. */
function planDown(set, applied, toVersion, trackingTable) {
    const history = compareHistory(set, applied, "migrations-dir", trackingTable);
    if (toVersion > history.current) {
        throw errors_ConfigError.single({
            input: "target-schema",
            path: "",
            given: `${toVersion}, above the applied version ${history.current}`,
            expected: "a version below the applied one for down (0 reverts everything)",
        });
    }
    const files = new Map(set.migrations.map((m) => [m.version, m]));
    const steps = history.applied
        .filter((a) => a.version > toVersion)
        .sort((a, b) => (a.version > b.version ? -1 : 1))
        .map((applied) => {
        const migration = files.get(applied.version);
        const step = { version: applied.version, name: applied.name, applied };
        if (migration)
            step.migration = migration;
        if (migration?.downFile)
            step.downFile = migration.downFile;
        return step;
    });
    const to = history.applied.reduce((max, a) => (a.version <= toVersion && a.version > max ? a.version : max), 0n);
    return { from: history.current, to, steps, missing: steps.filter((s) => !s.downFile) };
}

;// CONCATENATED MODULE: ./packages/migrations/src/apply-migrations.ts


/**
 * Applies pending migrations: lint gate first (nothing changes if it refuses), then the lock,
 * then a fresh read of the tracking table (another run may have applied some meanwhile),
 * the optional backup, and one transaction per migration, in order.
 */
async function applyMigrations(driver, set, options) {
    const before = options.plan ?? (await planApply(set, await driver.readApplied(), options.toVersion, driver.kind, driver.trackingTable));
    assertLintGate(before.migrations, { allowContract: options.allowContract ?? false, refuseLockHazards: options.refuseLockHazards });
    const result = {
        from: before.from,
        to: before.from,
        applied: [],
        skipped: [],
        pending: before.migrations.length + before.later.length,
        compatibility: before.compatibility,
        plan: before,
    };
    if (before.migrations.length === 0) {
        result.pending = before.later.length;
        return result;
    }
    const waitStarted = performance.now();
    const release = await driver.lock({
        timeoutMs: options.lockTimeoutMs,
        signal: options.signal,
        onWait: (holder) => options.onEvent?.({ type: "lock-wait", holder }),
    });
    try {
        options.onEvent?.({ type: "lock-acquired", waitedMs: Math.round(performance.now() - waitStarted) });
        await driver.ensureTrackingTable();
        // Under the lock the history is read again (another run may have applied some meanwhile); the lint is not redone unless that changed what is pending.
        const plan = await planApply(set, await driver.readApplied(), options.toVersion, driver.kind, driver.trackingTable, before);
        assertLintGate(plan.migrations, { allowContract: options.allowContract ?? false, refuseLockHazards: options.refuseLockHazards });
        result.skipped = before.migrations
            .map((m) => m.migration.version)
            .filter((v) => !plan.migrations.some((m) => m.migration.version === v));
        result.pending = plan.migrations.length + plan.later.length;
        result.to = plan.from;
        if (plan.migrations.length > 0 && options.backupDir) {
            result.backupPath = await driver.backup(options.backupDir, { signal: options.signal });
            options.onEvent?.({ type: "backup", path: result.backupPath });
        }
        for (const { migration, lint } of plan.migrations) {
            const accepted = lint.findings.filter((f) => f.acceptedBecause !== undefined);
            options.onEvent?.({
                type: "start",
                version: migration.version,
                file: migration.upFile,
                direction: "up",
                transactional: migration.transactional,
            });
            const outcome = await driver.applyStep({
                version: migration.version,
                name: migration.name,
                file: migration.upFile,
                sql: migration.upSql,
                transactional: migration.transactional,
            }, {
                version: migration.version,
                name: migration.name,
                checksum: migration.checksum,
                appliedBy: options.appliedBy,
                compatibility: lint.compatibility,
                contractOk: accepted.length > 0 ? accepted.map((f) => f.acceptedBecause).join("; ") : null,
                transactional: migration.transactional,
            }, { signal: options.signal });
            options.onEvent?.({
                type: "done",
                version: migration.version,
                file: migration.upFile,
                direction: "up",
                durationMs: outcome.durationMs,
                skipped: outcome.outcome === "skipped",
            });
            result.pending--;
            result.to = migration.version;
            if (outcome.outcome === "skipped") {
                result.skipped.push(migration.version);
                continue;
            }
            result.applied.push({
                version: migration.version,
                name: migration.name,
                file: migration.upFile,
                durationMs: outcome.durationMs,
                compatibility: lint.compatibility,
                transactional: migration.transactional,
                accepted,
            });
        }
        result.compatibility =
            result.applied.length === 0 ? "none" : result.applied.some((a) => a.compatibility === "contract") ? "contract" : "expand";
        return result;
    }
    finally {
        await release();
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./packages/migrations/src/command-runner.ts

/**
 * Runs a command line through `bash -e -c` (the platform shell on Windows), as a `run:` step would. On abort it
 * sends SIGTERM to the command's whole process group, then SIGKILL after a grace period, and waits for it to exit.
 */
const command_runner_shellCommandRunner = async (command, options) => {
    const windows = process.platform === "win32";
    const result = await runProcess(windows ? command : "/bin/bash", windows ? [] : ["-e", "-c", command], {
        ...(options.env ? { env: options.env, inheritEnv: false } : {}),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        shell: windows,
        killGraceMs: options.killGraceMs ?? 10_000,
        ...(options.onLine ? { onLine: (line) => options.onLine?.(line) } : {}),
    });
    if (options.signal?.aborted)
        throw abortReason(options.signal);
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, durationMs: Math.round(result.durationMs) };
};

;// CONCATENATED MODULE: ./packages/migrations/src/errors.ts

/** A migration file failed on the database; its transaction was rolled back (unless it had none). */
class MigrationFailedError extends CutoverError {
    file;
    detail;
    rolledBack;
    line;
    name = "MigrationFailedError";
    constructor(file, detail, rolledBack, line) {
        const where = line === undefined ? file : `${file} (line ${line})`;
        super(`${where} failed: ${detail}; ${rolledBack ? "its transaction was rolled back, nothing of it is applied" : "it ran without a transaction (-- cutover:no-transaction): statements before the failing one stay applied and it is marked dirty in the tracking table until resolved by hand"}`);
        this.file = file;
        this.detail = detail;
        this.rolledBack = rolledBack;
        this.line = line;
    }
}
/** An external migration tool (command mode) exited with a failure. */
class errors_CommandFailedError extends CutoverError {
    input;
    exitCode;
    outputTail;
    name = "CommandFailedError";
    constructor(input, exitCode, outputTail) {
        super(`${input} exited with ${exitCode ?? "a signal"}${outputTail ? `; last output:\n${outputTail}` : ""}`);
        this.input = input;
        this.exitCode = exitCode;
        this.outputTail = outputTail;
    }
}

;// CONCATENATED MODULE: ./packages/migrations/src/command-mode.ts





function tail(result) {
    return `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/).slice(-20).join("\n");
}
/** The last line a command printed on stdout, trimmed; undefined when it printed nothing. */
function lastLine(stdout) {
    return stdout.trim().split(/\r?\n/).filter(Boolean).at(-1)?.trim() || undefined;
}
/** The schema version in what migrations-version-command printed: the first word of its last line (alembic: `ae1027a6acf (head)`). */
function versionFromOutput(stdout) {
    return lastLine(stdout)?.split(/\s+/)[0];
}
/**
 * Runs an external migration tool: migrations-version-command before, backup-command (apply, when given),
 * the command (apply) or migrations-down-command (down) under the lock, migrations-version-command after. Plan mode
 * only reads the version.
 */
async function runCommandMode(options) {
    const runner = options.runner ?? command_runner_shellCommandRunner;
    const main = options.mode === "apply" ? options.command : options.mode === "down" ? options.downCommand : undefined;
    const mainInput = options.mode === "down" ? "migrations-down-command" : "migrations-command";
    if (options.mode !== "plan" && !main) {
        throw errors_ConfigError.single({ input: mainInput, path: "", expected: `a command to run in mode ${options.mode}` });
    }
    const backupDir = options.backupDir ? (0,external_node_path_.resolve)(options.cwd ?? ".", options.backupDir) : undefined;
    const env = {
        ...process_environment_processEnvironment(),
        ...options.env,
        ...(options.toVersion ? { CUTOVER_TO_VERSION: options.toVersion } : {}),
        ...(backupDir ? { CUTOVER_BACKUP_DIR: backupDir } : {}),
    };
    const run = (command, onLine = options.onLine) => runner(command, { env, cwd: options.cwd, signal: options.signal, onLine });
    const readVersion = async (when) => {
        if (!options.versionCommand)
            return undefined;
        const result = await run(options.versionCommand, undefined);
        if (result.exitCode !== 0)
            throw new errors_CommandFailedError("migrations-version-command", result.exitCode, tail(result));
        const version = versionFromOutput(result.stdout);
        options.onVersion?.(when, version);
        return version;
    };
    const result = {};
    const release = options.mode === "plan" ? undefined : await options.lock?.();
    try {
        result.fromVersion = await readVersion("before");
        if (!main) {
            result.toVersion = result.fromVersion;
            result.compatibility = "none";
            return result;
        }
        if (options.mode === "apply" && options.backupCommand) {
            if (backupDir)
                await (0,promises_.mkdir)(backupDir, { recursive: true });
            const backup = await run(options.backupCommand);
            if (backup.exitCode !== 0)
                throw new errors_CommandFailedError("backup-command", backup.exitCode, tail(backup));
            result.backup = lastLine(backup.stdout);
            if (!result.backup) {
                throw errors_ConfigError.single({
                    input: "backup-command",
                    path: "",
                    given: "a command that printed nothing",
                    expected: "a command whose last line is the backup's path or id (CUTOVER_BACKUP of a later restore-command)",
                });
            }
        }
        const ran = await run(main);
        if (ran.exitCode !== 0) {
            // Where the failed command left the schema, if the tool can still say (best effort: the failure is what counts).
            await readVersion("after").catch(() => undefined);
            throw new errors_CommandFailedError(mainInput, ran.exitCode, tail(ran));
        }
        result.ran = { input: mainInput, exitCode: 0, durationMs: ran.durationMs };
        result.toVersion = await readVersion("after");
        result.compatibility = options.versionCommand && result.toVersion === result.fromVersion ? "none" : "contract";
        return result;
    }
    finally {
        await release?.();
    }
}
/** Restores a data store from a backup (for stores without a down path); returns the version after, when migrations-version-command says. */
async function runRestoreCommand(options) {
    const runner = options.runner ?? shellCommandRunner;
    const env = {
        ...processEnvironment(),
        ...options.env,
        CUTOVER_BACKUP: options.backup,
        ...(options.toVersion ? { CUTOVER_TO_VERSION: options.toVersion } : {}),
    };
    const run = (command, onLine = options.onLine) => runner(command, { env, cwd: options.cwd, signal: options.signal, onLine });
    const restored = await run(options.restoreCommand);
    if (restored.exitCode !== 0)
        throw new CommandFailedError("restore-command", restored.exitCode, tail(restored));
    if (!options.versionCommand)
        return { durationMs: restored.durationMs };
    const version = await run(options.versionCommand, undefined);
    if (version.exitCode !== 0)
        throw new CommandFailedError("migrations-version-command", version.exitCode, tail(version));
    const toVersion = versionFromOutput(version.stdout);
    return { ...(toVersion ? { toVersion } : {}), durationMs: restored.durationMs };
}

;// CONCATENATED MODULE: ./packages/migrations/src/database-url.ts


/**
 * Reads a database URL: `postgres://…` / `postgresql://…`, or `sqlite:<path>` (also
 * `sqlite://<path>`, `sqlite::memory:`). Errors never quote the URL: it holds a password.
 */
function parseDatabaseUrl(url, input = "database-url") {
    const text = url.trim();
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
    if (scheme === "postgres" || scheme === "postgresql") {
        try {
            const parsed = new URL(text);
            if (!parsed.hostname && !parsed.searchParams.has("host"))
                throw new Error("no host");
        }
        catch {
            throw errors_ConfigError.single({
                input,
                path: "",
                given: "a postgres URL that does not parse",
                expected: "postgres://user:password@host:5432/database",
            });
        }
        return { kind: "postgres", url: text };
    }
    if (scheme === "sqlite" || scheme === "file") {
        const rest = text.slice(scheme.length + 1).replace(/^\/\//, "");
        const path = rest.split("?")[0] ?? "";
        if (!path)
            throw errors_ConfigError.single({ input, path: "", given: "sqlite: without a path", expected: "sqlite:path/to/file.db" });
        if (path === ":memory:")
            return { kind: "sqlite", path };
        return { kind: "sqlite", path: (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(path) };
    }
    throw errors_ConfigError.single({
        input,
        path: "",
        given: scheme ? `a URL with scheme '${scheme}:'` : "a value that is not a URL",
        expected: "postgres://…, postgresql://… or sqlite:<path>",
    });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/migrations/src/migration-files.ts





const FILE_NAME = /^(\d+)_([A-Za-z0-9][\w.-]*?)\.(up|down)\.sql$/;
const MAX_VERSION = 9223372036854775807n;
const NO_TRANSACTION_MARKER = "-- cutover:no-transaction";
function checksumOf(sql) {
    // One-shot hash: a run checksums every file, and a Hash object per file costs twice the time.
    return (0,external_node_crypto_.hash)("sha256", sql.includes("\r") ? sql.replace(/\r\n/g, "\n") : sql, "hex");
}
/** True when the first line of a file asks to run outside a transaction. */
function wantsNoTransaction(sql) {
    const first = sql
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/, 1)[0]
        ?.trim() ?? "";
    return first === NO_TRANSACTION_MARKER || first.startsWith(`${NO_TRANSACTION_MARKER} `);
}
/**
 * Reads `<version>_<name>.up.sql` / `.down.sql` files from `dir`. Every problem (missing dir,
 * a .sql file with a malformed name, duplicate versions, a down file without its up file) is
 * reported at once as a ConfigError on input `input`, before any database is touched.
 */
async function loadMigrations(dir, input = "migrations-dir") {
    const absolute = (0,external_node_path_.resolve)(dir);
    const info = await (0,promises_.stat)(absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
        throw errors_ConfigError.single({
            input,
            path: "",
            given: JSON.stringify(dir),
            expected: info ? "a directory of migration files, not a file" : "an existing directory of migration files",
        });
    }
    const names = (await (0,promises_.readdir)(absolute)).sort();
    const issues = [];
    const byVersion = new Map();
    for (const file of names) {
        if (!file.toLowerCase().endsWith(".sql"))
            continue;
        const match = FILE_NAME.exec(file);
        if (!match) {
            issues.push({ input, path: file, given: "a malformed file name", expected: "<version>_<name>.up.sql or <version>_<name>.down.sql" });
            continue;
        }
        const [, digits, name, direction] = match;
        const version = BigInt(digits);
        if (version > MAX_VERSION) {
            issues.push({ input, path: file, given: `version ${digits}`, expected: "a version that fits a 64-bit integer" });
            continue;
        }
        const entry = byVersion.get(version) ?? { name };
        byVersion.set(version, entry);
        const clash = entry[direction] ?? (entry.name !== name ? (entry.up ?? entry.down) : undefined);
        if (clash) {
            issues.push({ input, path: file, given: `version ${version} again`, expected: `one migration per version; ${clash} already has it` });
            continue;
        }
        entry[direction] = file;
    }
    for (const [version, entry] of byVersion) {
        if (!entry.up && entry.down)
            issues.push({
                input,
                path: entry.down,
                given: "a down file without its up file",
                expected: `${version}_${entry.name}.up.sql beside it`,
            });
    }
    if (issues.length > 0)
        throw new errors_ConfigError(issues);
    const ordered = [...byVersion.entries()].filter(([, e]) => e.up).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Read synchronously: migration files are small and many, and a step has nothing else to do
    // meanwhile; a promise and a thread-pool hop per file cost more than the read.
    const migrations = ordered.map(([version, entry]) => {
        const upPath = (0,external_node_path_.join)(absolute, entry.up);
        const upSql = (0,external_node_fs_.readFileSync)(upPath, "utf8");
        const migration = {
            version,
            name: entry.name,
            upFile: entry.up,
            upPath,
            upSql,
            checksum: checksumOf(upSql),
            transactional: !wantsNoTransaction(upSql),
        };
        if (entry.down) {
            migration.downFile = entry.down;
            migration.downPath = (0,external_node_path_.join)(absolute, entry.down);
            migration.downSql = (0,external_node_fs_.readFileSync)(migration.downPath, "utf8");
        }
        return migration;
    });
    return { dir: absolute, migrations };
}

;// CONCATENATED MODULE: ./packages/migrations/src/pg-dump.ts



/** The connection settings of a URL as libpq variables, so the password never shows in a process list. */
function libpqEnvironment(url) {
    const parsed = new URL(url);
    // pg_dump must not hang on an unreachable server: libpq waits forever without a timeout.
    const env = { PGCONNECT_TIMEOUT: "10" };
    if (parsed.hostname)
        env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ""));
    if (parsed.port)
        env.PGPORT = parsed.port;
    if (parsed.username)
        env.PGUSER = decodeURIComponent(parsed.username);
    if (parsed.password)
        env.PGPASSWORD = decodeURIComponent(parsed.password);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (database)
        env.PGDATABASE = database;
    const names = {
        sslmode: "PGSSLMODE",
        host: "PGHOST",
        port: "PGPORT",
        user: "PGUSER",
        password: "PGPASSWORD",
        dbname: "PGDATABASE",
        connect_timeout: "PGCONNECT_TIMEOUT",
    };
    for (const [key, value] of parsed.searchParams) {
        const variable = names[key];
        if (variable)
            env[variable] = value;
    }
    return env;
}
/** The major version of a `pg_dump --version` line such as `pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)`. */
function pgDumpMajor(versionText) {
    const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(versionText);
    return match ? Number(match[1]) : undefined;
}
/**
 * Dumps the database with pg_dump (custom format) into `dir`. Fails before dumping, with both
 * versions named, when pg_dump is missing or older than the server (pg_dump refuses that).
 */
async function runPgDump(url, dir, options) {
    const pgDump = findExecutable("pg_dump", options.path);
    const serverMajor = Math.floor(options.serverVersionNum / 10_000);
    if (!pgDump) {
        throw errors_ConfigError.single({
            input: "backup",
            path: "",
            given: "auto, but pg_dump is not on PATH",
            expected: `pg_dump ${serverMajor} or newer on PATH (install postgresql-client-${serverMajor}), or backup: none`,
        });
    }
    const version = await runProcess(pgDump, ["--version"], { timeoutMs: 10_000 });
    if (version.exitCode !== 0)
        throw new Error(`${pgDump} --version failed: ${outputTail(version, 4)}`);
    const dumpMajor = pgDumpMajor(version.stdout);
    if (dumpMajor !== undefined && dumpMajor < serverMajor) {
        throw errors_ConfigError.single({
            input: "backup",
            path: "",
            given: `auto, but ${pgDump} is version ${dumpMajor} and the server is PostgreSQL ${serverMajor}; pg_dump refuses a newer server`,
            expected: `pg_dump ${serverMajor} or newer on PATH (install postgresql-client-${serverMajor}), or backup: none`,
        });
    }
    const target = (0,external_node_path_.resolve)(dir);
    await (0,promises_.mkdir)(target, { recursive: true });
    const env = libpqEnvironment(url);
    const file = (0,external_node_path_.join)(target, `${env.PGDATABASE ?? "postgres"}-${new Date().toISOString().replace(/[:.]/g, "-")}.dump`);
    await (async () => {
        const result = await runProcess(pgDump, ["--format=custom", "--no-password", `--file=${file}`], {
            env,
            ...(options.signal ? { signal: options.signal } : {}),
        });
        if (options.signal?.aborted)
            throw abortReason(options.signal);
        if (result.exitCode !== 0)
            throw new Error(`pg_dump exited with ${result.exitCode}: ${options.scrub(result.stderr.trim())}`);
    })().catch(async (error) => {
        await (0,promises_.rm)(file, { force: true });
        throw error;
    });
    return file;
}

;// CONCATENATED MODULE: ./packages/migrations/src/postgres-driver.ts






const APPLICATION_NAME = "cutover-migrate";
const UNDEFINED_TABLE = "42P01";
const INVALID_SCHEMA_NAME = "3F000";
const INVALID_TEXT_REPRESENTATION = "22P02";
/**
 * A plain statement that fails when `condition` holds on the version's row count `n`: the text it
 * casts to an integer is built from that count, so it is evaluated only then (a PL/pgSQL block
 * would be compiled anew for every migration, ~0.5 ms each). The error carries `marker`.
 */
function failWhen(table, version, condition, marker) {
    return `SELECT ('${marker} ' || n)::integer FROM (SELECT count(*) AS n FROM ${table} WHERE version = ${version}) AS row_count WHERE ${condition}`;
}
/** The advisory lock key: stable per tracking table, so two projects in one database do not block each other. */
function advisoryLockKey(trackingTable) {
    return (0,external_node_crypto_.createHash)("sha256").update(`cutover:migrations:${trackingTable}`).digest().readBigInt64BE(0);
}
function lineAt(text, position) {
    let line = 1;
    for (let i = 0; i < Math.min(position - 1, text.length); i++)
        if (text.charCodeAt(i) === 10)
            line++;
    return line;
}
/** PostgreSQL through `pg`: one connection runs migrations, a second one holds the advisory lock. */
class PostgresDriver {
    work;
    url;
    options;
    displayName;
    kind = "postgres";
    lockClient;
    workPid = 0;
    table;
    lockKey;
    trackingTable;
    constructor(work, url, options, displayName) {
        this.work = work;
        this.url = url;
        this.options = options;
        this.displayName = displayName;
        this.table = quoteTrackingTable(options.trackingTable);
        this.trackingTable = options.trackingTable;
        this.lockKey = advisoryLockKey(options.trackingTable);
    }
    static async connect(url, options) {
        const parsed = new URL(url);
        const displayName = `postgres ${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
        const work = await PostgresDriver.client(url, options);
        const driver = new PostgresDriver(work, url, options, displayName);
        // The backend's pid came with the connection (BackendKeyData): no query needed to learn it.
        driver.workPid = work.processID;
        if (options.statementTimeoutMs)
            await work.query(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
        return driver;
    }
    static async client(url, options) {
        // Loaded on first connection: a SQLite run, a plan without a database and a bad input never pay for it.
        const { default: driver } = await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 3849));
        const client = new driver.Client({
            connectionString: url,
            connectionTimeoutMillis: options.connectTimeoutMs,
            application_name: APPLICATION_NAME,
        });
        // A dropped connection surfaces as the failure of the query in flight; without a listener it would crash the process.
        client.on("error", () => { });
        try {
            await client.connect();
        }
        catch (error) {
            await client.end().catch(() => { });
            throw new Error(`could not connect to PostgreSQL: ${options.scrub(error.message)}`);
        }
        return client;
    }
    async readApplied() {
        // One round trip: "no such table" or "no such schema" is nothing applied yet. `t.*`: a table
        // from before the dirty column still reads (the column is added on the next apply).
        let rows;
        try {
            rows = await this.work.query(`SELECT t.*, t.version::text AS version_text FROM ${this.table} t ORDER BY t.version`);
        }
        catch (error) {
            const code = error.code;
            if (code === UNDEFINED_TABLE || code === INVALID_SCHEMA_NAME)
                return [];
            throw error;
        }
        return rows.rows.map((row) => ({
            version: BigInt(row.version_text),
            name: row.name,
            checksum: row.checksum,
            appliedAt: new Date(row.applied_at).toISOString(),
            durationMs: Number(row.duration_ms),
            appliedBy: row.applied_by,
            compatibility: row.compatibility,
            contractOk: row.contract_ok,
            transactional: row.transactional,
            dirty: row.dirty === true,
        }));
    }
    async ensureTrackingTable() {
        await this.work.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        version bigint PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        applied_by text NOT NULL,
        compatibility text NOT NULL,
        contract_ok text,
        transactional boolean NOT NULL DEFAULT true,
        dirty boolean NOT NULL DEFAULT false
      )`);
        await this.work.query(`ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS dirty boolean NOT NULL DEFAULT false`);
    }
    async lock(options) {
        const client = await PostgresDriver.client(this.url, this.options);
        const deadline = performance.now() + options.timeoutMs;
        let announced = false;
        try {
            for (let attempt = 0;; attempt++) {
                const got = await client.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [this.lockKey.toString()]);
                if (got.rows[0]?.ok)
                    break;
                if (!announced) {
                    announced = true;
                    options.onWait?.(await this.lockHolder(client));
                }
                const left = deadline - performance.now();
                if (left <= 0) {
                    throw new Error(`timed out after ${Math.round(options.timeoutMs)}ms waiting for the migration lock held by ${await this.lockHolder(client)}`);
                }
                await sleep_sleep(Math.min(left, Math.min(50 * 2 ** attempt, 500)), options.signal);
            }
        }
        catch (error) {
            await client.end().catch(() => { });
            throw error;
        }
        this.lockClient = client;
        return async () => {
            this.lockClient = undefined;
            try {
                await client.query("SELECT pg_advisory_unlock($1::bigint)", [this.lockKey.toString()]);
            }
            finally {
                // Ending the session releases the lock even if the unlock above failed.
                await client.end().catch(() => { });
            }
        };
    }
    /** Who holds the migration lock, for the waiting message. */
    async lockHolder(client) {
        const key = BigInt.asUintN(64, this.lockKey);
        const rows = await client
            .query(`SELECT a.pid, a.application_name, a.backend_start::text AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1`, [(key >> 32n).toString(), (key & 0xffffffffn).toString()])
            .catch(() => ({ rows: [] }));
        const row = rows.rows[0];
        return row ? `backend pid ${row.pid} (${row.application_name || "no application name"}, connected ${row.since})` : "another session";
    }
    /** Makes an abort interrupt the query in flight: pg_cancel_backend from another connection. */
    cancelOnAbort(signal) {
        if (!signal)
            return () => { };
        const onAbort = () => {
            const cancel = async () => {
                const client = this.lockClient ?? (await PostgresDriver.client(this.url, this.options));
                try {
                    await client.query("SELECT pg_cancel_backend($1)", [this.workPid]);
                }
                finally {
                    if (client !== this.lockClient)
                        await client.end().catch(() => { });
                }
            };
            cancel().catch(() => { });
        };
        signal.addEventListener("abort", onAbort, { once: true });
        return () => signal.removeEventListener("abort", onAbort);
    }
    /**
     * Runs one migration file. In a transaction it is one round trip (dbmate needs four): the check
     * that no other run did it first, the file, its record in the tracking table and COMMIT go as
     * one simple query, so the file and its record commit together or not at all. Without a
     * transaction, statement by statement.
     */
    async runStep(step, options, done, work) {
        if (options.signal?.aborted)
            throw abortReason(options.signal);
        const started = performance.now();
        const release = this.cancelOnAbort(options.signal);
        let statementLine = 1;
        const doneCheck = failWhen(this.table, step.version, work.doneWhenRecorded ? "n > 0" : "n = 0", work.doneMarker);
        const prefix = `BEGIN;\n${doneCheck};\n`;
        try {
            if (step.transactional) {
                try {
                    await this.work.query(`${prefix}${step.sql}\n;\n${work.record(`(EXTRACT(EPOCH FROM clock_timestamp() - now()) * 1000)::integer`)};\nCOMMIT`);
                }
                catch (error) {
                    await this.work.query("ROLLBACK").catch(() => { });
                    const { code, message } = error;
                    if (code === INVALID_TEXT_REPRESENTATION && message?.includes(work.doneMarker))
                        return { outcome: "skipped", durationMs: 0 };
                    throw error;
                }
            }
            else {
                if (await this.isDone(step.version, work.doneWhenRecorded))
                    return { outcome: "skipped", durationMs: 0 };
                // Killed between here and record(), the row stays dirty and the next run refuses (see history.ts).
                await work.markDirty();
                for (const statement of splitStatements(step.sql)) {
                    if (options.signal?.aborted)
                        throw abortReason(options.signal);
                    statementLine = statement.line;
                    await this.work.query(statement.text);
                }
                await work.finish(Math.round(performance.now() - started));
            }
            return { outcome: done, durationMs: Math.round(performance.now() - started) };
        }
        catch (error) {
            if (options.signal?.aborted) {
                throw new errors_CancelledError(`cancelled during ${step.file}; ${step.transactional ? "its transaction was rolled back" : "it ran without a transaction, so statements before the interrupted one stay applied"}`);
            }
            if (error instanceof errors_CancelledError)
                throw error;
            const pgError = error;
            // In a transaction the position counts from the start of the whole query: the file starts after the prefix.
            const position = Number(pgError.position) - (step.transactional ? prefix.length : 0);
            const inFile = Number.isFinite(position) && position > 0 && position <= step.sql.length;
            const line = step.transactional ? (inFile ? lineAt(step.sql, position) : undefined) : statementLine;
            const detail = `${this.options.scrub(pgError.message)}${pgError.code ? ` (SQLSTATE ${pgError.code})` : ""}`;
            throw new MigrationFailedError(step.file, detail, step.transactional, line);
        }
        finally {
            release();
        }
    }
    /** Whether the tracking table has (or, for a revert, no longer has) the version's row. */
    async isDone(version, doneWhenRecorded) {
        const recorded = ((await this.work.query(`SELECT 1 FROM ${this.table} WHERE version = $1`, [version.toString()])).rowCount ?? 0) > 0;
        return recorded === doneWhenRecorded;
    }
    applyStep(step, row, options) {
        const literal = (value) => (value === null ? "NULL" : this.work.escapeLiteral(value));
        const insert = (durationMs, dirty) => `INSERT INTO ${this.table} (version, name, checksum, duration_ms, applied_by, compatibility, contract_ok, transactional, dirty) VALUES (${row.version}, ${literal(row.name)}, ${literal(row.checksum)}, ${durationMs}, ${literal(row.appliedBy)}, ${literal(row.compatibility)}, ${literal(row.contractOk)}, ${row.transactional}, ${dirty})`;
        return this.runStep(step, options, "applied", {
            doneWhenRecorded: true,
            doneMarker: "cutover: another run applied this version first",
            record: (durationMs) => insert(durationMs, false),
            markDirty: async () => {
                await this.work.query(insert("0", true));
            },
            finish: async (durationMs) => {
                await this.work.query(`UPDATE ${this.table} SET dirty = false, duration_ms = $2, applied_at = now() WHERE version = $1`, [
                    row.version.toString(),
                    durationMs,
                ]);
            },
        });
    }
    revertStep(step, options) {
        const remove = `DELETE FROM ${this.table} WHERE version = ${step.version}`;
        return this.runStep(step, options, "reverted", {
            doneWhenRecorded: false,
            doneMarker: "cutover: another run reverted this version first",
            record: () => remove,
            markDirty: async () => {
                await this.work.query(`UPDATE ${this.table} SET dirty = true WHERE version = $1`, [step.version.toString()]);
            },
            finish: async () => {
                await this.work.query(remove);
            },
        });
    }
    async backup(dir, options) {
        const serverVersion = Number((await this.work.query("SELECT current_setting('server_version_num') AS v")).rows[0]?.v);
        return runPgDump(this.url, dir, { serverVersionNum: serverVersion, scrub: this.options.scrub, signal: options.signal });
    }
    async close() {
        await this.work.end().catch(() => { });
    }
}

;// CONCATENATED MODULE: ./packages/migrations/src/revert-migrations.ts



/** Refuses a down plan with missing down files, naming each, before anything runs. */
function assertRevertible(plan) {
    if (plan.missing.length === 0)
        return;
    throw new errors_ConfigError(plan.missing.map((step) => ({
        input: "migrations-dir",
        path: `${step.version}_${step.name}.down.sql`,
        given: `no down file for applied version ${step.version}`,
        expected: `a down file for every migration above version ${plan.to}; nothing was reverted`,
    })));
}
/** Reverts applied migrations newest first down to `toVersion`, each down file in its own transaction, under the lock. */
async function revertMigrations(driver, set, toVersion, options) {
    const before = planDown(set, await driver.readApplied(), toVersion, driver.trackingTable);
    assertRevertible(before);
    const result = { from: before.from, to: before.from, reverted: [], skipped: [], plan: before };
    if (before.steps.length === 0)
        return result;
    const waitStarted = performance.now();
    const release = await driver.lock({
        timeoutMs: options.lockTimeoutMs,
        signal: options.signal,
        onWait: (holder) => options.onEvent?.({ type: "lock-wait", holder }),
    });
    try {
        options.onEvent?.({ type: "lock-acquired", waitedMs: Math.round(performance.now() - waitStarted) });
        const plan = planDown(set, await driver.readApplied(), toVersion, driver.trackingTable);
        assertRevertible(plan);
        result.from = plan.from;
        result.to = plan.from;
        for (const step of plan.steps) {
            const migration = step.migration;
            if (!migration?.downFile || migration.downSql === undefined)
                continue;
            const transactional = !wantsNoTransaction(migration.downSql);
            options.onEvent?.({ type: "start", version: step.version, file: migration.downFile, direction: "down", transactional });
            const outcome = await driver.revertStep({ version: step.version, name: step.name, file: migration.downFile, sql: migration.downSql, transactional }, { signal: options.signal });
            options.onEvent?.({
                type: "done",
                version: step.version,
                file: migration.downFile,
                direction: "down",
                durationMs: outcome.durationMs,
                skipped: outcome.outcome === "skipped",
            });
            if (outcome.outcome === "skipped")
                result.skipped.push(step.version);
            else
                result.reverted.push({ version: step.version, name: step.name, file: migration.downFile, durationMs: outcome.durationMs });
        }
        result.to = plan.to;
        return result;
    }
    finally {
        await release();
    }
}

// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(99);
;// CONCATENATED MODULE: ./packages/migrations/src/sqlite-driver.ts








/**
 * SQLite through node:sqlite. Each migration runs in `BEGIN IMMEDIATE`, which takes the
 * database's write lock (waiting up to the busy timeout) and re-checks the tracking table
 * inside it, so two runs never apply one migration twice; the OS drops the lock if the process dies.
 */
class SqliteDriver {
    path;
    kind = "sqlite";
    displayName;
    trackingTable;
    db;
    table;
    bareTable;
    constructor(path, options) {
        this.path = path;
        this.displayName = `sqlite ${path === ":memory:" ? path : (0,external_node_path_.basename)(path)}`;
        this.table = quoteTrackingTable(options.trackingTable);
        this.trackingTable = options.trackingTable;
        this.bareTable = options.trackingTable.split(".").pop();
        const missing = path !== ":memory:" && !(0,external_node_fs_.existsSync)(path);
        this.db = new external_node_sqlite_.DatabaseSync(missing && !options.create ? ":memory:" : path);
        this.db.exec(`PRAGMA busy_timeout = ${Math.round(options.lockTimeoutMs)}`);
    }
    async readApplied() {
        const found = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(this.bareTable);
        if (!found)
            return [];
        const rows = this.db
            .prepare(
        // `*`: a table from before the dirty column still reads (the column is added on the next apply).
        `SELECT *, CAST(version AS TEXT) AS version_text FROM ${this.table} ORDER BY version`)
            .all();
        return rows.map((row) => ({
            version: BigInt(row.version_text),
            name: row.name,
            checksum: row.checksum,
            appliedAt: row.applied_at,
            durationMs: Number(row.duration_ms),
            appliedBy: row.applied_by,
            compatibility: row.compatibility,
            contractOk: row.contract_ok ?? null,
            transactional: Number(row.transactional) === 1,
            dirty: Number(row.dirty ?? 0) === 1,
        }));
    }
    async ensureTrackingTable() {
        this.db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        checksum TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        applied_by TEXT NOT NULL,
        compatibility TEXT NOT NULL,
        contract_ok TEXT,
        transactional INTEGER NOT NULL DEFAULT 1,
        dirty INTEGER NOT NULL DEFAULT 0
      )`);
        const hasDirty = this.db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = 'dirty'").get(this.bareTable);
        if (!hasDirty)
            this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0`);
    }
    async lock() {
        // Each step takes SQLite's own write lock (BEGIN IMMEDIATE); there is nothing to hold between steps.
        return async () => { };
    }
    isRecorded(version) {
        return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE version = ?`).get(version) !== undefined;
    }
    runStep(step, options, done, alreadyDone, record, 
    /** Without a transaction: marks the migration dirty (committed) before its first statement. */
    markDirty) {
        if (options.signal?.aborted)
            throw abortReason(options.signal);
        const started = performance.now();
        try {
            if (step.transactional) {
                this.db.exec("BEGIN IMMEDIATE");
                try {
                    if (alreadyDone()) {
                        this.db.exec("ROLLBACK");
                        return { outcome: "skipped", durationMs: 0 };
                    }
                    this.db.exec(step.sql);
                    record();
                    if (options.signal?.aborted)
                        throw abortReason(options.signal);
                    this.db.exec("COMMIT");
                }
                catch (error) {
                    if (this.db.isTransaction)
                        this.db.exec("ROLLBACK");
                    throw error;
                }
            }
            else {
                if (alreadyDone())
                    return { outcome: "skipped", durationMs: 0 };
                // Killed between here and record(), the row stays dirty and the next run refuses (see history.ts).
                markDirty();
                for (const statement of splitStatements(step.sql)) {
                    if (options.signal?.aborted)
                        throw abortReason(options.signal);
                    this.db.exec(statement.text);
                }
                record();
            }
            return { outcome: done, durationMs: Math.round(performance.now() - started) };
        }
        catch (error) {
            if (error instanceof errors_CancelledError) {
                throw new errors_CancelledError(`cancelled during ${step.file}; ${step.transactional ? "its transaction was rolled back" : "statements before the interruption stay applied"}`);
            }
            throw new MigrationFailedError(step.file, error.message, step.transactional);
        }
    }
    async applyStep(step, row, options) {
        const started = performance.now();
        const insert = (dirty) => {
            this.db
                .prepare(`INSERT INTO ${this.table} (version, name, checksum, applied_at, duration_ms, applied_by, compatibility, contract_ok, transactional, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
                .run(row.version, row.name, row.checksum, new Date().toISOString(), Math.round(performance.now() - started), row.appliedBy, row.compatibility, row.contractOk, row.transactional ? 1 : 0, dirty ? 1 : 0);
        };
        return this.runStep(step, options, "applied", () => this.isRecorded(step.version), () => {
            if (step.transactional)
                return insert(false);
            this.db
                .prepare(`UPDATE ${this.table} SET dirty = 0, duration_ms = ?, applied_at = ? WHERE version = ?`)
                .run(Math.round(performance.now() - started), new Date().toISOString(), row.version);
        }, () => insert(true));
    }
    async revertStep(step, options) {
        return this.runStep(step, options, "reverted", () => !this.isRecorded(step.version), () => {
            this.db.prepare(`DELETE FROM ${this.table} WHERE version = ?`).run(step.version);
        }, () => {
            this.db.prepare(`UPDATE ${this.table} SET dirty = 1 WHERE version = ?`).run(step.version);
        });
    }
    async backup(dir) {
        if (this.path === ":memory:")
            throw new Error("an in-memory SQLite database cannot be backed up");
        const target = (0,external_node_path_.resolve)(dir);
        await (0,promises_.mkdir)(target, { recursive: true });
        const name = (0,external_node_path_.basename)(this.path).replace(/\.[^.]*$/, "") || "database";
        const file = (0,external_node_path_.join)(target, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.sqlite`);
        // VACUUM INTO writes a consistent, compacted copy while holding a read transaction.
        this.db.prepare("VACUUM INTO ?").run(file);
        return file;
    }
    async close() {
        if (this.db.isOpen)
            this.db.close();
    }
}

;// CONCATENATED MODULE: ./packages/migrations/src/open-database.ts








/**
 * A database with migrations: the stable API that the migrate and rollback actions use.
 * Every error it throws has the database URL and its password scrubbed.
 */
class MigrationDatabase {
    driver;
    scrub;
    constructor(driver, scrub) {
        this.driver = driver;
        this.scrub = scrub;
    }
    get kind() {
        return this.driver.kind;
    }
    /** Where it is, without credentials: `postgres host:port/db` or `sqlite file.db`. */
    get displayName() {
        return this.driver.displayName;
    }
    /** Applied migrations oldest first, with the classification recorded when each was applied. */
    readApplied() {
        return this.guard(() => this.driver.readApplied());
    }
    /** What apply would do (pending, linted); changes nothing. Throws ConfigError on drift, gaps, missing files. */
    planApply(set, toVersion) {
        return this.guard(async () => planApply(set, await this.driver.readApplied(), toVersion, this.driver.kind, this.driver.trackingTable));
    }
    /** Applies pending migrations under the lock; see applyMigrations. */
    apply(set, options) {
        return this.guard(() => applyMigrations(this.driver, set, options));
    }
    /** What down to `toVersion` would revert, newest first, and which down files are missing; changes nothing. */
    planDown(set, toVersion) {
        return this.guard(async () => planDown(set, await this.driver.readApplied(), toVersion, this.driver.trackingTable));
    }
    /** Reverts to `toVersion` under the lock; refuses before touching anything if a down file is missing. */
    down(set, toVersion, options) {
        return this.guard(() => revertMigrations(this.driver, set, toVersion, options));
    }
    /** Writes a backup (pg_dump custom format, or a SQLite copy) into `dir`; resolves to its path. */
    backup(dir, signal) {
        return this.guard(() => this.driver.backup(dir, { signal }));
    }
    /** Takes the migration lock (PostgreSQL advisory lock; nothing to hold on SQLite); resolves to its release. */
    lock(options) {
        return this.guard(() => this.driver.lock(options));
    }
    close() {
        return this.driver.close();
    }
    async guard(task) {
        try {
            return await task();
        }
        catch (error) {
            if (error instanceof Error) {
                error.message = this.scrub(error.message);
                if (error.stack)
                    error.stack = this.scrub(error.stack);
            }
            throw error;
        }
    }
}
/** A Redactor that knows a database URL: the whole URL, its password (raw and decoded) and its redacted form's source. */
function databaseUrlRedactor(url, base = new Redactor()) {
    base.add(url);
    try {
        const parsed = new URL(url);
        if (parsed.password) {
            base.add(parsed.password);
            base.add(decodeURIComponent(parsed.password));
        }
    }
    catch {
        // Not a URL: the whole value is already covered.
    }
    return base;
}
/** Opens a database from its URL (`postgres://…`, `postgresql://…`, `sqlite:<path>`). Bad URLs fail before connecting. */
async function openDatabase(url, options = {}) {
    const target = parseDatabaseUrl(url);
    const trackingTable = options.trackingTable ?? DEFAULT_TRACKING_TABLE;
    quoteTrackingTable(trackingTable);
    const redactor = databaseUrlRedactor(url, options.redactor);
    const scrub = (text) => redactor.redact(text).replace(/postgres(?:ql)?:\/\/[^\s'"]+/g, (found) => redactUrl(found));
    if (target.kind === "sqlite") {
        const driver = new SqliteDriver(target.path, {
            trackingTable,
            lockTimeoutMs: options.lockTimeoutMs ?? 60_000,
            create: options.create ?? true,
        });
        return new MigrationDatabase(driver, scrub);
    }
    try {
        const driver = await PostgresDriver.connect(target.url, {
            trackingTable,
            connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
            statementTimeoutMs: options.statementTimeoutMs,
            scrub,
        });
        return new MigrationDatabase(driver, scrub);
    }
    catch (error) {
        if (error instanceof Error)
            error.message = scrub(error.message);
        throw error;
    }
}

// EXTERNAL MODULE: ./packages/migrations/src/postgres-parser-process.ts + 2 modules
var postgres_parser_process = __webpack_require__(7505);
;// CONCATENATED MODULE: ./packages/migrations/src/index.ts




















;// CONCATENATED MODULE: ./packages/runner/src/action-spec.ts
function defineAction(spec) {
    return spec;
}

;// CONCATENATED MODULE: ./packages/runner/src/github-context.ts
/** The variable the runner sets for each field of the context. */
const VARIABLES = {
    apiUrl: "GITHUB_API_URL",
    repository: "GITHUB_REPOSITORY",
    sha: "GITHUB_SHA",
    actor: "GITHUB_ACTOR",
    ref: "GITHUB_REF",
    refName: "GITHUB_REF_NAME",
    runId: "GITHUB_RUN_ID",
    runNumber: "GITHUB_RUN_NUMBER",
    runAttempt: "GITHUB_RUN_ATTEMPT",
    workflow: "GITHUB_WORKFLOW",
};
/** The run's GitHub context, from the variables the runner sets for every step; blank ones are left out. */
function readGitHubContext(env) {
    const pick = (name) => env[name]?.trim() || undefined;
    const context = { serverUrl: pick("GITHUB_SERVER_URL") ?? "https://github.com" };
    for (const [key, variable] of Object.entries(VARIABLES)) {
        const value = pick(variable);
        if (value)
            context[key] = value;
    }
    return context;
}
/** The variables a step on the runner gets for this context: what readGitHubContext reads back. */
function githubContextVariables(context) {
    const out = { GITHUB_SERVER_URL: context.serverUrl };
    for (const [key, variable] of Object.entries(VARIABLES)) {
        const value = context[key];
        if (value)
            out[variable] = value;
    }
    return out;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./packages/runner/src/workflow-commands.ts
// The runner boundary's side of the action protocol: workflow commands on stdout and file commands
// (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), written as @actions/core writes them. Our own
// rather than @actions/core's: its module graph (http-client and undici, for OIDC tokens no action
// asks for) doubled every step's start-up; the formats live in @cutover/core's action-protocol.ts.



function issue(command, properties, data) {
    process.stdout.write(formatCommand(command, properties, data) + external_node_os_.EOL);
}
/** A line of the step's log. */
function workflow_commands_info(text) {
    process.stdout.write(text + external_node_os_.EOL);
}
/** A line shown only when step debug logging is on. */
function debug(text) {
    issue("debug", {}, text);
}
/** An error, warning or notice: an annotation when `annotation` says where, a log line otherwise. */
function workflow_commands_annotate(level, text, annotation = {}) {
    const properties = Object.keys(annotation).length === 0
        ? {}
        : {
            title: annotation.title,
            file: annotation.file,
            line: annotation.startLine,
            endLine: annotation.endLine,
            col: annotation.startColumn,
            endColumn: annotation.endColumn,
        };
    issue(level, properties, text);
}
/** Folds what `body` logs under a title in the runner's log. */
async function group(title, body) {
    issue("group", {}, title);
    try {
        return await body();
    }
    finally {
        issue("endgroup", {}, "");
    }
}
/** Asks the runner to mask a value in the log from now on. */
function addMask(value) {
    issue("add-mask", {}, value);
}
/** Appends `name` = `value` to a file command (OUTPUT or STATE), or the older stdout command without one. */
function setFileValue(file, legacyCommand, name, value) {
    const path = process.env[`GITHUB_${file}`] || "";
    if (!path) {
        if (file === "OUTPUT")
            process.stdout.write(external_node_os_.EOL);
        issue(legacyCommand, { name }, value);
        return;
    }
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    // node:crypto is loaded by the first output, not at start-up (a step that fails on its inputs sets none).
    const delimiter = `ghadelimiter_${process.getBuiltinModule("node:crypto").randomUUID()}`;
    (0,external_node_fs_.appendFileSync)(path, `${formatFileCommand(name, value, delimiter, external_node_os_.EOL)}${external_node_os_.EOL}`, { encoding: "utf8" });
}
/** Sets a step output. */
function setOutput(name, value) {
    setFileValue("OUTPUT", "set-output", name, value);
}
/** Keeps a value for the action's `post:` step (read back with `getState`). */
function workflow_commands_saveState(name, value) {
    setFileValue("STATE", "save-state", name, value);
}
/** A value the main step saved with `saveState`, in the `post:` step; empty when none was saved. */
function workflow_commands_getState(name) {
    return process.env[`STATE_${name}`] || "";
}
/** Appends markdown and a newline to the step summary file (GITHUB_STEP_SUMMARY). */
async function appendSummary(markdown) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path) {
        throw new Error("Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.");
    }
    try {
        await external_node_fs_.promises.access(path, external_node_fs_.constants.R_OK | external_node_fs_.constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
    }
    await external_node_fs_.promises.appendFile(path, markdown + external_node_os_.EOL, { encoding: "utf8" });
}

;// CONCATENATED MODULE: ./packages/runner/src/logger.ts

/** A logger writing to the runner's log as workflow commands. */
function actionsLogger(redactor) {
    const scrub = (text) => redactor.redact(text);
    const scrubAnnotation = (annotation) => annotation?.title === undefined ? annotation : { ...annotation, title: scrub(annotation.title) };
    return {
        info: (text) => workflow_commands_info(scrub(text)),
        warning: (text, annotation) => workflow_commands_annotate("warning", scrub(text), scrubAnnotation(annotation)),
        error: (text, annotation) => workflow_commands_annotate("error", scrub(text), scrubAnnotation(annotation)),
        notice: (text, annotation) => workflow_commands_annotate("notice", scrub(text), scrubAnnotation(annotation)),
        group: (title, body) => group(scrub(title), body),
    };
}

;// CONCATENATED MODULE: ./packages/runner/src/markdown.ts
/** Escapes text for a GitHub-flavoured markdown table cell. */
function cell(text) {
    if (text === undefined || text === "")
        return " ";
    return String(text).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}
/** A markdown table; the first row is the header. */
function table(header, rows) {
    const lines = [
        `| ${header.map(cell).join(" | ")} |`,
        `| ${header.map(() => "---").join(" | ")} |`,
        ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
    ];
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./packages/runner/src/masking.ts

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest)\s+(.+)$/i;
/** Masks a secret in the runner's log and remembers it for our own redaction. */
function maskSecret(value, redactor) {
    const pieces = new Set([value, ...value.split(/\r?\n/).map((line) => line.trim())]);
    // An Authorization value is often logged without its scheme: hide the credential alone too.
    const credential = AUTH_SCHEME.exec(value.trim())?.[1];
    if (credential)
        pieces.add(credential);
    for (const piece of pieces) {
        if (piece.length < 3)
            continue;
        addMask(piece);
        redactor.add(piece);
    }
}
/** Masks every string found inside a parsed structured secret (e.g. a headers map). */
function maskLeaves(value, redactor) {
    if (typeof value === "string")
        maskSecret(value, redactor);
    else if (Array.isArray(value))
        for (const item of value)
            maskLeaves(item, redactor);
    else if (value && typeof value === "object")
        for (const item of Object.values(value))
            maskLeaves(item, redactor);
}

;// CONCATENATED MODULE: ./packages/runner/src/report-keys.ts
/**
 * Maps keyed by the user's or a platform's own names (HTTP headers, Prometheus labels, traffic
 * weights by color, workflow settings): their keys are data, passed through as they are.
 */
const DATA_MAPS = new Set(["headers", "labels", "scope", "weights", "previous-weights", "settings", "env"]);
/**
 * The `report` output is a public interface and names things as the outputs do, in kebab-case
 * (`latency-ms`, `active-color`), whatever the engines call them in TypeScript (`latencyMs`).
 * Converting once at the boundary keeps the engines' types idiomatic and every report consistent.
 */
function reportKeys(value) {
    if (Array.isArray(value))
        return value.map(reportKeys);
    if (value === null || typeof value !== "object")
        return value;
    const toJSON = value.toJSON;
    if (typeof toJSON === "function")
        return reportKeys(toJSON.call(value));
    const entries = Object.entries(value).map(([key, item]) => {
        const name = kebabCase(key);
        return [name, DATA_MAPS.has(name) ? item : reportKeys(item)];
    });
    return Object.fromEntries(entries);
}
/** `latencyMs` → `latency-ms`, `p99Ms` → `p99-ms`; a key already in kebab-case stays as it is. */
function kebabCase(key) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key))
        return key;
    return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

;// CONCATENATED MODULE: ./packages/runner/src/summary-limit.ts
/**
 * GitHub refuses a step summary over 1 MiB (the step's summary is then lost, with an error). Keep
 * well under it, cut at a line, and say so where the reader looks.
 */
const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;
function fitSummary(markdown, limitBytes = SUMMARY_LIMIT_BYTES) {
    const size = Buffer.byteLength(markdown, "utf8");
    if (size <= limitBytes)
        return markdown;
    const note = (kept) => `\n\n> **Summary truncated**: ${kib(kept)} of ${kib(size)} shown (GitHub keeps at most 1 MiB per step). ` +
        "The step's `report` output and its log hold the rest.\n";
    // Room for the note and a closing fence.
    const budget = limitBytes - Buffer.byteLength(note(limitBytes), "utf8") - 8;
    // Cut on a character boundary, then back to the last whole line so no table row or fence is split.
    let cut = Buffer.from(markdown, "utf8")
        .subarray(0, budget)
        .toString("utf8")
        .replace(/\uFFFD+$/, "");
    const lastLine = cut.lastIndexOf("\n");
    if (lastLine > 0)
        cut = cut.slice(0, lastLine);
    // An open code fence would swallow the note.
    if ((cut.match(/^```/gm) ?? []).length % 2 === 1)
        cut += "\n```";
    return `${cut}${note(Buffer.byteLength(cut, "utf8"))}`;
}
function kib(bytes) {
    return `${Math.round(bytes / 1024).toLocaleString("en-US")} KiB`;
}

;// CONCATENATED MODULE: ./packages/runner/src/summary-sections.ts


/**
 * deploy.yml and rollback.yml set CUTOVER_COLLECT_SUMMARY so each step's summary is kept aside
 * and the outcome step writes the job summary whole: its overview first, then every step's
 * section in order. The runner only ever appends step summaries, so nothing else could put
 * the overview on top. The sections live in RUNNER_TEMP, which the runner removes with the job.
 */
function sectionsDir(env) {
    if (env.CUTOVER_COLLECT_SUMMARY !== "true" || !env.RUNNER_TEMP)
        return undefined;
    return (0,external_node_path_.join)(env.RUNNER_TEMP, "cutover-summary-sections");
}
let kept = 0;
// Left by the outcome step: the steps after it (close the record, Slack) append as usual.
const TAKEN = "taken";
/** Keeps a (redacted) summary section aside; false when summaries are not being collected. */
function keepSummarySection(markdown, env = process.env) {
    const dir = sectionsDir(env);
    if (!dir || (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, TAKEN)))
        return false;
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    // Steps run one after another: the time orders them; within one step, the count does.
    kept += 1;
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, `${String(Date.now()).padStart(15, "0")}-${process.pid}-${String(kept).padStart(4, "0")}.md`), markdown);
    return true;
}
/** The sections kept so far, in the order they were written, and removes them. */
function takeSummarySections(env = process.env) {
    const dir = sectionsDir(env);
    if (!dir)
        return [];
    mkdirSync(dir, { recursive: true });
    const names = readdirSync(dir).filter((name) => name.endsWith(".md"));
    const sections = names.sort().map((name) => readFileSync(join(dir, name), "utf8"));
    for (const name of names)
        rmSync(join(dir, name), { force: true });
    writeFileSync(join(dir, TAKEN), "");
    return sections;
}

;// CONCATENATED MODULE: ./packages/runner/src/outputs.ts




/** Sets outputs; every value passes through the redactor so no secret leaves as an output. */
function setOutputs(outputs, redactor) {
    for (const [name, value] of Object.entries(outputs)) {
        if (value === undefined)
            continue;
        setOutput(name, redactor.redact(String(value)));
    }
}
/** The `report` output every action writes: one JSON document a later step can parse, its keys in kebab-case. */
function setReport(report, redactor) {
    // Redact before serialising: once JSON-escaped, a secret holding `"`, `\\` or a control character no longer matches itself.
    setOutput("report", redactor.redact(JSON.stringify(redactor.redactDeep(reportKeys(report)))));
}
/** Appends markdown to the step summary, redacted (or keeps it for the outcome step, see summary-sections.ts). */
async function writeSummary(markdown, redactor) {
    const text = fitSummary(redactor.redact(markdown));
    if (keepSummarySection(text))
        return;
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await appendSummary(text);
}

;// CONCATENATED MODULE: ./packages/runner/src/post-state.ts

/** The state entry (GITHUB_STATE → STATE_secret-dirs in the post step) listing private temporary directories. */
const SECRET_DIRS = "secret-dirs";
/**
 * A callback that records each private temporary directory (an ssh key, a connection socket)
 * in the step's state the moment it exists. The state file is written at once, so the action's
 * `post:` step finds the directory even when the main step was killed before it could clean up.
 */
function secretDirRecorder() {
    const dirs = [];
    return (dir) => {
        dirs.push(dir);
        saveState(SECRET_DIRS, JSON.stringify(dirs));
    };
}
/** The directories the main step recorded; empty when it recorded none (or the state is not a list). */
function recordedSecretDirs() {
    const raw = getState(SECRET_DIRS);
    if (!raw)
        return [];
    try {
        const parsed = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed.filter((dir) => typeof dir === "string") : [];
    }
    catch {
        return [];
    }
}
/** Runs an action's `post:` step: clean-up that reports what it did and never fails the job. */
async function runPostStep(action, body) {
    try {
        await body((line) => info(`${action} post: ${line}`));
    }
    catch (error) {
        annotate("warning", `${action} post: clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }
}
/** The `post:` step of an action that records private directories: removes what a killed main step left. */
async function cleanUpRecordedDirs(action, remove) {
    await runPostStep(action, async (log) => {
        for (const line of await remove(recordedSecretDirs()))
            log(line);
    });
}

;// CONCATENATED MODULE: ./packages/runner/src/preload-inputs.ts

/**
 * Awaits the spec's preloads of the inputs `env` gives (not blank), each loader once, so that
 * readInputs, which is synchronous, finds loaded whatever those inputs' schemas use.
 */
async function preloadInputs(spec, env = process.env) {
    const loaders = new Set();
    for (const [name, load] of Object.entries(spec.preload ?? {})) {
        if (load && env[inputVariable(name)]?.trim())
            loaders.add(load);
    }
    await Promise.all([...loaders].map((load) => load()));
}

;// CONCATENATED MODULE: ./packages/runner/src/renamed-inputs.ts

/**
 * Inputs renamed so that one concept has one name across the actions (docs/naming.md). The
 * runner warns "Unexpected input" for an old name and would run with the default in its place
 * (a per-request timeout as the whole deadline, or no target at all): an old name fails instead,
 * naming the new one, before anything runs.
 */
const RENAMED_INPUTS = {
    "smoke-test": { timeout: "request-timeout" },
    "notify-slack": {
        timeout: "request-timeout",
        "from-color": "previous-color",
        "to-color": "active-color",
        token: "slack-token",
        "webhook-url": "slack-webhook-url",
        channel: "slack-channel",
        mention: "slack-mention",
    },
    "health-gate": { timeout: "deadline", duration: "bake-duration", "swapped-at": "switched-at" },
    "blue-green-swap": { "verify-timeout": "verify-deadline" },
    migrate: {
        "to-version": "target-schema",
        "base-version": "base-schema",
        dir: "migrations-dir",
        command: "migrations-command",
        "version-command": "migrations-version-command",
        "down-command": "migrations-down-command",
    },
    rollback: {
        "to-version": "target-version",
        "verify-timeout": "verify-deadline",
        "replaced-color": "previous-color",
        token: "github-token",
        dir: "migrations-dir",
        "version-command": "migrations-version-command",
        "down-command": "migrations-down-command",
        settings: "workflow-inputs",
    },
    outcome: { "new-color": "color", "swapped-back": "switched-back", "swapped-back-at": "switched-back-at" },
    preflight: { inputs: "workflow-inputs" },
};
/** One issue per old input name that was given a value (the value is not quoted: it may be anything). */
function renamedInputIssues(action, env) {
    return Object.entries(RENAMED_INPUTS[action] ?? {})
        .filter(([old]) => (env[inputVariable(old)] ?? "") !== "")
        .map(([old, current]) => ({
        input: old,
        path: "",
        given: "a value under a renamed input",
        expected: `the value under \`${current}\`, its new name (docs/naming.md lists every renamed input)`,
    }));
}

;// CONCATENATED MODULE: ./packages/runner/src/read-inputs.ts





/**
 * Reads and validates every input of an action at once, then the spec's checks between inputs.
 * Secrets are masked before anything else happens; all problems are reported together, before
 * the action does any work. What a schema needs loaded first (the spec's `preload`) must have
 * been awaited with preloadInputs, as runAction does.
 */
function readInputs(spec, redactor, env = process.env) {
    const secrets = new Set(spec.secretInputs ?? []);
    const issues = renamedInputIssues(spec.name, env);
    const values = {};
    for (const [name, schema] of Object.entries(spec.inputs)) {
        const given = env[inputVariable(name)];
        const text = given?.trim();
        const raw = text === "" ? undefined : text;
        const secret = secrets.has(name);
        if (given !== undefined && given !== "" && raw === undefined) {
            // Only whitespace is a mistake (a blank expression), not "use the default": the default may move traffic.
            issues.push({ input: name, path: "", given: "only whitespace", expected: "a value, or leave the input out for its default" });
            continue;
        }
        if (secret && raw !== undefined)
            maskSecret(raw, redactor);
        const result = schema.safeParse(raw);
        if (result.success) {
            if (secret)
                maskLeaves(result.data, redactor);
            values[name] = result.data;
        }
        else {
            issues.push(...toConfigIssues(name, documentOf(raw), result.error.issues, { secret }));
        }
    }
    if (spec.checks) {
        // An input whose own value is wrong is reported once, by its schema, not again by a rule that missed it.
        const failed = new Set(issues.map((issue) => issue.input));
        const combined = spec.checks(values, readGitHubContext(env));
        issues.push(...combined.filter((issue) => !failed.has(issue.input)));
    }
    if (issues.length > 0)
        throw new errors_ConfigError(issues);
    return values;
}
/** The parsed document of a structured input, so issues can quote the value at their path. */
function documentOf(raw) {
    if (raw === undefined)
        return undefined;
    try {
        // Silent: yaml's warnings would print parts of the text (a secret input's too) on stderr.
        const doc = (0,dist/* parse */.qg)(raw, { logLevel: "silent" });
        return doc !== null && typeof doc === "object" ? doc : raw;
    }
    catch {
        return raw;
    }
}

;// CONCATENATED MODULE: ./packages/runner/src/run-action.ts






/**
 * The one top-level handler of an action: reads inputs, runs the body, and turns whatever it
 * throws into a single failure that names the action and says which kind of failure it was.
 */
async function runAction(spec, body) {
    const redactor = new Redactor();
    const cancellation = cancellationSignal(process, (name) => workflow_commands_info(`${spec.name}: received ${name}, stopping and cleaning up`));
    try {
        const env = process.env;
        await preloadInputs(spec, env);
        const inputs = readInputs(spec, redactor, env);
        await body(inputs, {
            signal: cancellation.signal,
            redactor,
            log: actionsLogger(redactor),
            github: readGitHubContext(env),
            tempDir: env.RUNNER_TEMP || undefined,
            workspace: env.GITHUB_WORKSPACE || process.cwd(),
        });
    }
    catch (error) {
        reportFailure(spec.name, error, redactor);
    }
    finally {
        cancellation.dispose();
    }
}
/** Raises exactly one error annotation and marks the step failed. */
function reportFailure(action, error, redactor) {
    const kind = failureKind(error);
    const { title, message } = describeFailure(action, kind, error);
    workflow_commands_annotate("error", redactor.redact(message), { title: redactor.redact(title) });
    if (kind === "unexpected" && error instanceof Error && error.stack) {
        debug(redactor.redact(error.stack));
    }
    process.exitCode = 1;
}
/**
 * The annotation's title says what happened; its message adds only what the title does not say,
 * because the runner shows both together (a message repeating the title reads twice).
 */
function describeFailure(action, kind, error) {
    switch (kind) {
        case "config": {
            const issues = error.issues;
            const noun = issues.length === 1 ? "invalid input" : `${issues.length} invalid inputs`;
            return { title: `${action}: ${noun}`, message: `nothing was changed\n${issues.map(formatConfigIssue).join("\n")}` };
        }
        case "gate": {
            const { summary, message } = error;
            const details = message.startsWith(summary) ? message.slice(summary.length).trim() : message;
            return { title: `${action}: ${summary}`, message: details || summary };
        }
        case "cancelled":
            return { title: `${action}: cancelled`, message: error.message };
        default:
            return { title: `${action}: unexpected error`, message: error instanceof Error ? error.message : String(error) };
    }
}

;// CONCATENATED MODULE: ./packages/runner/src/index.ts














;// CONCATENATED MODULE: ./actions/migrate/src/finding-annotations.ts

/**
 * One annotation per finding, on the file and line of the statement (shown inline in pull requests).
 * `refused` findings are errors when `refusedAsErrors` (mode lint); accepted ones are only logged.
 */
function annotateFindings(log, dir, file, findings, refused, refusedAsErrors) {
    const path = (0,external_node_path_.join)(dir, file);
    for (const f of findings) {
        const text = `${f.statement}: ${f.reason} [${f.rule}]`;
        if (f.acceptedBecause !== undefined) {
            log.info(`⚠ ${f.class} accepted by marker (${f.acceptedBecause}): ${path} line ${f.line}: ${text}`);
            continue;
        }
        const properties = { title: `migrate: ${f.class} (${f.rule})`, file: path, startLine: f.line };
        const message = `${file} line ${f.line}: ${text}. ${f.class === "contract" ? "How to split" : "Safe way"}: ${f.fix}`;
        if (refusedAsErrors && refused.has(f))
            log.error(message, properties);
        else
            log.warning(message, properties);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/lint-mode.ts



/** The dialect to lint: the dialect input, else the database-url's kind, else PostgreSQL; the two must agree. */
function dialectOf(inputs, url) {
    const fromUrl = url ? parseDatabaseUrl(url).kind : undefined;
    if (inputs.dialect && fromUrl && inputs.dialect !== fromUrl) {
        throw errors_ConfigError.single({
            input: "dialect",
            path: "",
            given: inputs.dialect,
            expected: `${fromUrl}, the kind of database database-url points at (or leave dialect out)`,
        });
    }
    return inputs.dialect ?? fromUrl ?? "postgres";
}
/** mode: lint — no database: lints the files in dir, annotates each finding on its line, fails on refused ones. */
async function runLint(inputs, url, report, log) {
    const dialect = dialectOf(inputs, url);
    const base = inputs["base-schema"];
    const set = await loadMigrations(inputs["migrations-dir"]);
    if (base !== undefined && base !== 0n && !set.migrations.some((m) => m.version === base)) {
        throw errors_ConfigError.single({
            input: "base-schema",
            path: "",
            given: String(base),
            expected: `the version of a migration file in ${inputs["migrations-dir"]} (or 0 when the database has none applied)`,
        });
    }
    // With a base version the files above it are one pending batch; without, no file may rely on another's new tables.
    const planned = base === undefined
        ? (await Promise.all(set.migrations.map((m) => lintPending([m], dialect)))).flat()
        : await lintPending(set.migrations.filter((m) => m.version > base), dialect);
    const policy = { allowContract: inputs["allow-contract"], refuseLockHazards: inputs["lock-hazards"] === "refuse" };
    const refused = new Set(gateFindings(planned, policy).map((r) => r.finding));
    report.database = `${dialect} (lint only, no database)`;
    report["schema-before"] = base === undefined ? undefined : String(base);
    report.pending = planned.length;
    report.compatibility = planned.length === 0 ? "none" : planned.some((p) => p.lint.compatibility === "contract") ? "contract" : "expand";
    report.migrations = planned.map(({ migration, lint }) => {
        report.warnings.push(...lint.warnings.map((w) => `${migration.upFile} ${w}`));
        annotateFindings(log, inputs["migrations-dir"], migration.upFile, lint.findings, refused, true);
        return {
            version: String(migration.version),
            file: migration.upFile,
            status: "pending",
            compatibility: lint.compatibility,
            transactional: migration.transactional,
            findings: lint.findings,
        };
    });
    report["schema-after"] = planned.at(-1) ? String(planned.at(-1)?.migration.version) : report["schema-before"];
    log.info(`Linted ${planned.length} migration(s) in ${inputs["migrations-dir"]} as ${dialect}: ${refused.size} refused finding(s).`);
    assertLintGate(planned, policy);
}

;// CONCATENATED MODULE: ./actions/migrate/src/built-in-mode.ts





/** Who applied a migration, as recorded in the tracking table. */
function appliedBy(github) {
    const who = github.actor ?? (0,external_node_os_.userInfo)().username;
    return github.runId ? `${who} via ${github.workflow ?? "workflow"} run ${github.runId}` : who;
}
/** Logs progress and keeps the report's rows current, so a failure still reports what ran. */
function tracker(report, log) {
    const rows = new Map(report.migrations.map((row) => [row.version, row]));
    return (event) => {
        switch (event.type) {
            case "lock-wait":
                log.info(`Waiting for the migration lock held by ${event.holder}`);
                break;
            case "lock-acquired":
                if (event.waitedMs > 100)
                    log.info(`Got the migration lock after ${formatDuration(event.waitedMs)}`);
                break;
            case "backup":
                log.info(`Backup written to ${event.path}`);
                report["backup-path"] = event.path;
                break;
            case "start": {
                log.info(`${event.direction === "up" ? "▶ applying" : "↩ reverting"} ${event.file}${event.transactional ? "" : " (no transaction)"}`);
                const row = rows.get(String(event.version));
                if (row) {
                    row.file = event.file;
                    row.transactional = event.transactional;
                    // Until it is done, a migration in flight counts as failed: that is what a crash would leave.
                    row.status = "failed";
                }
                break;
            }
            case "done": {
                const row = rows.get(String(event.version));
                if (!row)
                    break;
                row.status = event.skipped ? "skipped" : event.direction === "up" ? "applied" : "reverted";
                row["duration-ms"] = event.durationMs;
                if (event.direction === "up") {
                    report["schema-after"] = String(event.version);
                    if (!event.skipped)
                        report.applied.push(String(event.version));
                }
                else if (!event.skipped)
                    report.reverted.push(String(event.version));
                log.info(event.skipped ? `↷ ${event.file}: already done by another run` : `✓ ${event.file} in ${formatDuration(event.durationMs)}`);
                break;
            }
        }
    };
}
/** The built-in engine: plan, apply or down on PostgreSQL or SQLite. Fills `report` as it goes. */
async function runBuiltIn(inputs, url, signal, report, { log, github }) {
    // Everything that can be checked without the database is checked before connecting (the rest with the inputs).
    dialectOf(inputs, url);
    // Digits only here (input-combinations.ts): the built-in engine numbers its files.
    const toVersion = inputs["target-schema"] === undefined ? undefined : BigInt(inputs["target-schema"]);
    const set = await loadMigrations(inputs["migrations-dir"]);
    const db = await openDatabase(url, {
        trackingTable: inputs["tracking-table"],
        statementTimeoutMs: inputs["statement-timeout"],
        lockTimeoutMs: inputs["lock-timeout"],
        create: inputs.mode !== "plan",
    });
    report.database = db.displayName;
    log.info(`Migrations in ${inputs["migrations-dir"]}: ${set.migrations.length} file(s); database: ${db.displayName}`);
    try {
        if (inputs.mode === "down") {
            const plan = await db.planDown(set, toVersion);
            report["schema-before"] = String(plan.from);
            report.migrations = plan.steps.map((s) => ({
                version: String(s.version),
                file: s.downFile ?? `${s.version}_${s.name}.down.sql (missing)`,
                status: "pending",
                compatibility: s.applied.compatibility === "unknown" ? undefined : s.applied.compatibility,
                transactional: true,
                findings: [],
            }));
            const result = await db.down(set, toVersion, {
                lockTimeoutMs: inputs["lock-timeout"],
                signal,
                onEvent: tracker(report, log),
            });
            report["schema-before"] = String(result.from);
            report["schema-after"] = String(result.to);
            report.reverted = result.reverted.map((r) => String(r.version));
            report.pending = set.migrations.filter((m) => m.version > result.to).length;
            return;
        }
        const plan = await db.planApply(set, toVersion);
        report["schema-before"] = String(plan.from);
        report["schema-after"] = String(plan.to);
        report.compatibility = plan.compatibility;
        report.pending = plan.migrations.length + plan.later.length;
        const policy = { allowContract: inputs["allow-contract"], refuseLockHazards: inputs["lock-hazards"] === "refuse" };
        const refused = new Set(gateFindings(plan.migrations, policy).map((r) => r.finding));
        report.migrations = plan.migrations.map(({ migration, lint }) => {
            report.warnings.push(...lint.warnings.map((w) => `${migration.upFile} ${w}`));
            annotateFindings(log, inputs["migrations-dir"], migration.upFile, lint.findings, refused, false);
            const row = {
                version: String(migration.version),
                file: migration.upFile,
                status: "pending",
                compatibility: lint.compatibility,
                transactional: migration.transactional,
                findings: lint.findings,
            };
            if (inputs.mode === "plan")
                row.sql = migration.upSql;
            return row;
        });
        if (inputs.mode === "plan") {
            report.applied = plan.migrations.map((m) => String(m.migration.version));
            log.info(plan.migrations.length === 0 ? "Nothing pending." : `Plan: ${plan.migrations.map((m) => m.migration.upFile).join(", ")}`);
            assertLintGate(plan.migrations, policy);
            return;
        }
        report["schema-after"] = String(plan.from);
        const result = await db.apply(set, {
            toVersion,
            allowContract: inputs["allow-contract"],
            refuseLockHazards: policy.refuseLockHazards,
            lockTimeoutMs: inputs["lock-timeout"],
            appliedBy: appliedBy(github),
            backupDir: inputs.backup === "auto" ? inputs["backup-dir"] : undefined,
            signal,
            onEvent: tracker(report, log),
            plan,
        });
        report["schema-before"] = String(result.from);
        report["schema-after"] = String(result.to);
        report.applied = result.applied.map((a) => String(a.version));
        report.pending = result.pending;
        report.compatibility = result.compatibility;
        for (const row of report.migrations)
            if (result.skipped.includes(BigInt(row.version)))
                row.status = "skipped";
        if (result.backupPath)
            report["backup-path"] = result.backupPath;
    }
    catch (error) {
        for (const row of report.migrations)
            if (row.status === "failed" && signal.aborted)
                row.status = "cancelled";
        throw error;
    }
    finally {
        await db.close();
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/command-mode.ts

/** Command mode: the team's own migration tool, under the same lock, with the same outputs (no lint). */
async function runCommand(inputs, url, signal, log, report) {
    const mode = inputs.mode;
    // main.ts sends mode lint to the lint; this keeps the type honest.
    if (mode === "lint")
        throw new Error("mode: lint has no command mode");
    const target = url ? parseDatabaseUrl(url) : undefined;
    const db = target?.kind === "postgres" ? await openDatabase(url, { trackingTable: inputs["tracking-table"] }) : undefined;
    if (db)
        report.database = db.displayName;
    try {
        const result = await runCommandMode({
            mode,
            command: inputs["migrations-command"],
            versionCommand: inputs["migrations-version-command"],
            downCommand: inputs["migrations-down-command"],
            toVersion: inputs["target-schema"],
            backupCommand: inputs.backup === "auto" ? inputs["backup-command"] : undefined,
            backupDir: inputs["backup-dir"],
            env: url ? { DATABASE_URL: url } : {},
            signal,
            lock: db
                ? () => db.lock({
                    timeoutMs: inputs["lock-timeout"],
                    signal,
                    onWait: (holder) => log.info(`Waiting for the migration lock held by ${holder}`),
                })
                : undefined,
            onLine: (line) => log.info(line),
            // Kept as they are read: a failed command still reports where the schema was and is.
            onVersion: (when, version) => {
                if (version !== undefined)
                    report[when === "before" ? "schema-before" : "schema-after"] = version;
            },
        });
        if (result.fromVersion !== undefined)
            report["schema-before"] = result.fromVersion;
        if (result.toVersion !== undefined)
            report["schema-after"] = result.toVersion;
        if (result.compatibility)
            report.compatibility = result.compatibility;
        if (result.backup) {
            report["backup-path"] = result.backup;
            log.info(`Backup: ${result.backup}`);
        }
        if (result.ran)
            report.commands = [{ input: result.ran.input, "exit-code": result.ran.exitCode, "duration-ms": result.ran.durationMs }];
    }
    finally {
        await db?.close();
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/input-combinations.ts
const COMMAND_INPUTS = ["migrations-command", "migrations-version-command", "migrations-down-command"];
/** Inputs that only make sense together, per mode; reported with the schema's issues (the spec's checks). */
function migrateInputIssues(inputs) {
    const given = COMMAND_INPUTS.filter((input) => inputs[input]);
    if (inputs.mode === "lint") {
        return given.map((input) => ({
            input,
            path: "",
            given: "a command",
            expected: "no command with mode: lint (it lints the SQL files of the built-in engine; command mode has no lint)",
        }));
    }
    return given.length > 0 ? commandModeIssues(inputs) : builtInIssues(inputs);
}
function commandModeIssues(inputs) {
    const issues = [];
    if (inputs.mode === "apply" && !inputs["migrations-command"])
        issues.push({ input: "migrations-command", path: "", expected: "the command that applies migrations in command mode (mode: apply)" });
    if (inputs.mode === "down" && !inputs["migrations-down-command"])
        issues.push({
            input: "migrations-down-command",
            path: "",
            expected: "the command that reverts migrations in command mode (mode: down)",
        });
    if (inputs.mode === "apply" && inputs.backup === "auto" && !inputs["backup-command"]) {
        issues.push({
            input: "backup-command",
            path: "",
            expected: "the command that backs up your data store before the migrations (its last line: the backup's path or id), because backup is auto in command mode; or backup: none",
        });
    }
    issues.push(...backupCommandIssues(inputs));
    return issues;
}
/** backup-command runs only where it is asked for: never silently ignored. */
function backupCommandIssues(inputs) {
    if (!inputs["backup-command"])
        return [];
    if (inputs.mode !== "apply")
        return [
            {
                input: "backup-command",
                path: "",
                given: "a command",
                expected: `no backup-command with mode: ${inputs.mode} (it runs before applying)`,
            },
        ];
    if (inputs.backup !== "auto")
        return [
            { input: "backup", path: "", given: inputs.backup, expected: "auto, to run backup-command before applying (or no backup-command)" },
        ];
    return [];
}
function builtInIssues(inputs) {
    const issues = [];
    if (!inputs["database-url"])
        issues.push({ input: "database-url", path: "", expected: "a database URL (or command for command mode)" });
    const toVersion = inputs["target-schema"];
    if (inputs.mode === "down" && toVersion === undefined)
        issues.push({ input: "target-schema", path: "", expected: "the version to go down to for mode: down (0 reverts everything)" });
    if (toVersion !== undefined && !/^\d{1,19}$/.test(toVersion)) {
        issues.push({
            input: "target-schema",
            path: "",
            given: JSON.stringify(toVersion),
            expected: "a migration version: digits only, e.g. 3 or 20260101120000 (the built-in engine numbers its files; your tool's own ids, -1 or head need command mode)",
        });
    }
    if (inputs["backup-command"]) {
        issues.push({
            input: "backup-command",
            path: "",
            given: "a command",
            expected: "command mode (migrations-command, migrations-version-command or migrations-down-command); the built-in engine backs up with pg_dump or a SQLite copy",
        });
    }
    if (inputs["base-schema"] !== undefined) {
        issues.push({
            input: "base-schema",
            path: "",
            given: String(inputs["base-schema"]),
            expected: "no base-schema outside mode: lint (with a database the applied version is read from it)",
        });
    }
    return issues;
}

;// CONCATENATED MODULE: ./actions/migrate/src/inputs.ts




/** A built-in migration number (lint's base-schema). */
const migrationNumber = schemas/* string */.YjP()
    .trim()
    .regex(/^\d{1,19}$/, "a migration version: digits only, e.g. 3 or 20260101120000")
    .transform((text) => BigInt(text));
/** A version word, kept as the string it is: digits for the built-in engine (checked with the mode), your tool's own id in command mode. */
const versionWord = schemas/* string */.YjP()
    .trim()
    .regex(/^[A-Za-z0-9@._:+-]{1,100}$/, "a version: one word of letters, digits and . _ : + - @, e.g. 3, 0002, ae1027a6acf, -1 or head");
const migrate = defineAction({
    name: "migrate",
    inputs: {
        "database-url": textInput().optional(),
        mode: choiceInput(["apply", "plan", "down", "lint"], "apply"),
        dialect: choiceInput(["postgres", "sqlite"]).optional(),
        "base-schema": migrationNumber.optional(),
        "lock-hazards": choiceInput(["warn", "refuse"], "warn"),
        "migrations-dir": textInput("migrations"),
        "target-schema": versionWord.optional(),
        "allow-contract": booleanInput("false"),
        "lock-timeout": durationInput("60s", { allowZero: true }),
        "statement-timeout": durationInput().optional(),
        backup: choiceInput(["none", "auto"], "none"),
        "backup-dir": textInput("cutover-backups"),
        "tracking-table": textInput("cutover_migrations").pipe(schemas/* string */.YjP().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/, "a table name like cutover_migrations or schema.table")),
        "migrations-command": textInput().optional(),
        "migrations-version-command": textInput().optional(),
        "migrations-down-command": textInput().optional(),
        "backup-command": textInput().optional(),
    },
    secretInputs: ["database-url"],
    checks: migrateInputIssues,
});

;// CONCATENATED MODULE: ./actions/migrate/src/mask-database-url.ts

/** Masks a database URL's password on its own too, raw and decoded (the input itself is masked on read): tools and errors echo it alone. */
function maskDatabaseUrl(url, redactor) {
    try {
        const password = new URL(url).password;
        if (password) {
            maskSecret(password, redactor);
            maskSecret(decodeURIComponent(password), redactor);
        }
    }
    catch {
        // Not a URL: the whole value is masked already.
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/migration-report.ts
function emptyReport(mode, engine) {
    return { mode, engine, outcome: "ok", applied: [], reverted: [], pending: 0, migrations: [], warnings: [] };
}

;// CONCATENATED MODULE: ./actions/migrate/src/migrations-output.ts
/**
 * The `migrations` output: each migration this run applied (plan mode: would apply) with its
 * classification, in the shape the rollback action's `migrations` input records in the ledger.
 */
function migrationsOutput(report) {
    const wanted = report.mode === "plan" ? "pending" : "applied";
    return report.migrations
        .filter((row) => row.status === wanted && row.compatibility !== undefined)
        .map((row) => ({
        version: row.version,
        name: row.file.replace(/^\d+_/, "").replace(/\.up\.sql$/, ""),
        classification: row.compatibility,
    }));
}

;// CONCATENATED MODULE: ./actions/migrate/src/summary.ts


const STATUS = {
    pending: "⏳ pending",
    applied: "✅ applied",
    skipped: "↷ already applied by another run",
    reverted: "↩ reverted",
    failed: "❌ failed",
    cancelled: "⛔ cancelled",
};
const CLASS = { contract: "🛑 contract", "lock-hazard": "🔒 lock hazard", "cannot-judge": "❓ cannot judge" };
function headline(report) {
    const where = report.database ? ` on \`${report.database}\`` : "";
    const versions = `${report["schema-before"] ?? "?"} → ${report["schema-after"] ?? "?"}`;
    if (report.outcome === "failed" && report.mode === "lint")
        return `❌ lint: ${report.migrations.length} migration(s), ${report.compatibility ?? "none"}: refused`;
    if (report.outcome === "failed" && report.mode === "plan")
        return `❌ plan: ${report.pending} pending migration(s)${where}, ${report.compatibility ?? "none"}: refused`;
    if (report.outcome === "failed")
        return `❌ ${report.mode} failed${where} (${versions})`;
    if (report.mode === "lint")
        return `🔎 lint: ${report.migrations.length} migration(s), ${report.compatibility ?? "none"}`;
    if (report.mode === "plan")
        return `📋 plan: ${report.pending} pending migration(s)${where}, ${report.compatibility ?? "none"}`;
    if (report.mode === "down")
        return `↩ reverted ${report.reverted.length} migration(s)${where} (${versions})`;
    return `✅ applied ${report.applied.length} migration(s)${where} (${versions}), ${report.compatibility ?? "none"}`;
}
/** The step summary: a headline, one row per migration with classification and duration, lint findings, the plan's SQL. */
function renderSummary(report) {
    let markdown = `### migrate: ${headline(report)}\n\n`;
    if (report.error)
        markdown += `> ${report.error.split("\n").join("\n> ")}\n\n`;
    if (report.engine === "command") {
        markdown += table(["Command", "Exit code", "Duration"], (report.commands ?? []).map((c) => [c.input, c["exit-code"], formatDuration(c["duration-ms"])]));
        markdown += `\nSchema version: ${report["schema-before"] ?? "unknown"} → ${report["schema-after"] ?? "unknown"} (command mode: no lint)\n`;
        if (report["backup-path"])
            markdown += `\nBackup: \`${report["backup-path"]}\`\n`;
        return markdown;
    }
    if (report.migrations.length > 0) {
        markdown += table(["Version", "File", "Status", "Classification", "Transaction", "Duration"], report.migrations.map((m) => [
            m.version,
            `\`${m.file}\``,
            STATUS[m.status] ?? m.status,
            m.compatibility === "contract"
                ? m.findings.every((f) => f.acceptedBecause !== undefined)
                    ? "⚠️ contract (accepted)"
                    : "🛑 contract"
                : (m.compatibility ?? "—"),
            m.transactional ? "yes" : "no (cutover:no-transaction)",
            m["duration-ms"] === undefined ? "—" : formatDuration(m["duration-ms"]),
        ]));
    }
    else {
        markdown += "Nothing to do: the database is up to date.\n";
    }
    const findings = report.migrations.flatMap((m) => m.findings.map((f) => ({ file: m.file, f })));
    if (findings.length > 0) {
        markdown += "\n#### Lint findings (what would break or block the color that is still live)\n\n";
        for (const { file, f } of findings) {
            const how = f.class === "contract" ? "how to split" : "safe way";
            const verdict = f.acceptedBecause !== undefined ? `accepted: ${f.acceptedBecause}` : `${how}: ${f.fix}`;
            markdown += `- \`${file}\` line ${f.line}: \`${f.statement}\` — ${CLASS[f.class]} (${f.rule}): ${f.reason}; ${verdict}\n`;
        }
    }
    for (const warning of report.warnings)
        markdown += `\n- ⚠️ ${warning}`;
    if (report["backup-path"])
        markdown += `\nBackup: \`${report["backup-path"]}\`\n`;
    if (report.mode === "plan") {
        for (const m of report.migrations.filter((row) => row.sql !== undefined)) {
            markdown += `\n<details><summary>${m.file}</summary>\n\n\`\`\`sql\n${m.sql}\n\`\`\`\n\n</details>\n`;
        }
    }
    return markdown;
}

;// CONCATENATED MODULE: ./actions/migrate/src/migrate-step.ts










/** The migrate step; `entry` is the bundle's own script, started again as the PostgreSQL parser child. */
async function runMigrateStep(entry) {
    (0,postgres_parser_process/* useParserProcess */.Mt)(entry);
    await runAction(migrate, async (inputs, { signal, redactor, log, github }) => {
        const url = inputs["database-url"];
        if (url)
            maskDatabaseUrl(url, redactor);
        const commandMode = Boolean(inputs["migrations-command"] || inputs["migrations-version-command"] || inputs["migrations-down-command"]);
        const report = emptyReport(inputs.mode, commandMode ? "command" : "built-in");
        try {
            if (inputs.mode === "lint")
                await runLint(inputs, url, report, log);
            else if (commandMode)
                await runCommand(inputs, url, signal, log, report);
            // database-url is there: checked with the inputs (input-combinations.ts).
            else
                await runBuiltIn(inputs, url, signal, report, { log, github });
        }
        catch (error) {
            report.outcome = "failed";
            report.error = error instanceof Error ? error.message : String(error);
            throw error;
        }
        finally {
            // Outputs and summary are written on failure too: they say what ran before it.
            setOutputs({
                "schema-before": report["schema-before"],
                "schema-after": report["schema-after"],
                "applied-versions": JSON.stringify(report.applied),
                migrations: JSON.stringify(migrationsOutput(report)),
                "reverted-versions": JSON.stringify(report.reverted),
                pending: report.pending,
                compatibility: report.compatibility,
                "backup-path": report["backup-path"],
            }, redactor);
            setReport(report, redactor);
            await writeSummary(renderSummary(report), redactor);
            if (report.outcome === "ok")
                log.info(`Schema version ${report["schema-before"] ?? "?"} → ${report["schema-after"] ?? "?"}`);
        }
    });
}


/***/ })

};
