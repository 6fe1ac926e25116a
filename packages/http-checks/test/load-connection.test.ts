import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer, getCACertificates, setDefaultCACertificates } from "node:tls";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { LoadConnection, type LoadConnectionOptions } from "../src/load-connection.js";

const servers: Server[] = [];
const connections: LoadConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A raw TCP server that answers each request head with whatever `answer` writes: responses split,
 * packed or cut short exactly as a test needs. Counts connections and requests.
 */
async function rawServer(answer: (socket: Socket, request: string, index: number) => void) {
  const seen = { connections: 0, requests: [] as string[] };
  const server = createServer((socket) => {
    seen.connections++;
    let buffered = "";
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (let end = buffered.indexOf("\r\n\r\n"); end !== -1; end = buffered.indexOf("\r\n\r\n")) {
        const request = buffered.slice(0, end + 4);
        buffered = buffered.slice(end + 4);
        seen.requests.push(request);
        answer(socket, request, seen.requests.length);
      }
    });
  });
  const host = await listen(server);
  return { host, seen };
}

function connection(host: string, options: Partial<LoadConnectionOptions> = {}, scheme = "http"): LoadConnection {
  const made = new LoadConnection({
    url: new URL(`${scheme}://${host}/path?q=1`),
    method: "GET",
    headers: {},
    timeoutMs: 2_000,
    readHeaders: false,
    readBody: true,
    ...options,
  });
  connections.push(made);
  return made;
}

/** Writes `text` one byte per turn of the event loop, so every byte arrives in its own TCP read. */
async function dribble(socket: Socket, text: string): Promise<void> {
  for (const byte of Buffer.from(text, "latin1")) {
    socket.write(Buffer.of(byte));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("LoadConnection", () => {
  it("sends the request bytes once serialised, with the host, user agent and encodings a browser sends", async () => {
    const { host, seen } = await rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    const response = await connection(host, { headers: { "x-run": "load" } }).send();
    expect(response.status).toBe(200);
    expect(response.body).toBe("ok");
    expect(seen.requests[0]).toBe(
      `GET /path?q=1 HTTP/1.1\r\nhost: ${host}\r\nuser-agent: cutover\r\nx-run: load\r\naccept-encoding: gzip, deflate, br\r\n\r\n`,
    );
  });

  it("lets the user's headers replace the defaults whatever their case, and says a POST has no body", async () => {
    const { host, seen } = await rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    await connection(host, {
      method: "POST",
      headers: { Host: "app.example", "User-Agent": "probe", "Accept-Encoding": "identity" },
    }).send();
    expect(seen.requests[0]).toBe(
      "POST /path?q=1 HTTP/1.1\r\nHost: app.example\r\nUser-Agent: probe\r\nAccept-Encoding: identity\r\ncontent-length: 0\r\n\r\n",
    );
  });

  it("reads a chunked body from node:http over one keep-alive connection, and decodes gzip", async () => {
    const server = createHttpServer((req, res) => {
      res.setHeader("content-encoding", "gzip");
      const zipped = gzipSync(`hello ${req.url}`);
      res.write(zipped.subarray(0, 5));
      setTimeout(() => res.end(zipped.subarray(5)), 5);
    });
    const host = await listen(server as unknown as Server);
    const ports = new Set<number>();
    server.on("connection", (socket) => ports.add(socket.remotePort ?? 0));
    const client = connection(host, { readHeaders: true });
    for (let i = 0; i < 3; i++) {
      const response = await client.send();
      expect(response.body).toBe("hello /path?q=1");
      expect(response.headers["transfer-encoding"]).toBe("chunked");
    }
    expect(ports.size).toBe(1);
  });

  it("reads responses split one byte at a time (chunked, with extensions and trailers, then by length)", async () => {
    const { host, seen } = await rawServer((socket, _request, index) => {
      void dribble(
        socket,
        index === 1
          ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
          : "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nnext",
      );
    });
    const client = connection(host);
    expect((await client.send()).body).toBe("hello world");
    const second = await client.send();
    expect([second.status, second.body]).toEqual([201, "next"]);
    expect(seen.connections).toBe(1);
  });

  it("skips an interim 103 packed with the final answer in one write", async () => {
    const { host } = await rawServer((socket) =>
      socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"),
    );
    const response = await connection(host).send();
    expect([response.status, response.body]).toEqual([200, "final"]);
  });

  it("drops a connection that sent more than one answer, so the next request gets its own", async () => {
    const { host, seen } = await rawServer((socket, _request, index) => {
      const answer = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      socket.write(answer(`first ${index}`) + answer(`stale ${index}`));
    });
    const client = connection(host);
    expect((await client.send()).body).toBe("first 1");
    expect((await client.send()).body).toBe("first 2");
    expect(seen.connections).toBe(2);
  });

  it("answers without a body: HEAD, 204 and 304 complete at the head and keep the connection", async () => {
    const { host, seen } = await rawServer((socket, request) => {
      if (request.startsWith("HEAD")) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
      else if (seen.requests.length % 2 === 1) socket.write("HTTP/1.1 204 No Content\r\n\r\n");
      else socket.write("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n");
    });
    const head = connection(host, { method: "HEAD", timeoutMs: 500 });
    expect((await head.send()).status).toBe(200);
    expect((await head.send()).status).toBe(200);
    const get = connection(host, { timeoutMs: 500 });
    expect((await get.send()).status).toBe(204);
    expect((await get.send()).status).toBe(304);
    expect(seen.connections).toBe(2);
  });

  it("opens a new connection after the server said Connection: close, and reads a body delimited by the close", async () => {
    const { host, seen } = await rawServer((socket, _request, index) => {
      if (index === 1) socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none");
      else socket.end("HTTP/1.0 200 OK\r\n\r\nuntil the close");
    });
    const client = connection(host);
    expect((await client.send()).body).toBe("one");
    expect((await client.send()).body).toBe("until the close");
    expect(seen.connections).toBe(2);
  });

  it("fails a response cut short by the server, then reconnects", async () => {
    const { host } = await rawServer((socket, _request, index) => {
      if (index === 1) socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
      else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    const client = connection(host);
    await expect(client.send()).rejects.toMatchObject({
      code: "ECONNCLOSED",
      message: `connection closed by ${host} before the response was complete`,
    });
    expect((await client.send()).body).toBe("ok");
  });

  it("fails a request that gets no answer within the timeout, then reconnects", async () => {
    const { host, seen } = await rawServer((socket, _request, index) => {
      if (index !== 2) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    const client = connection(host, { timeoutMs: 150 });
    // The timeout counts from each request, not from the connection's first.
    expect((await client.send()).body).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await expect(client.send()).rejects.toMatchObject({ code: "ETIMEDOUT", message: `no complete response from ${host} within 150ms` });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await client.send()).body).toBe("ok");
    expect(seen.connections).toBe(2);
  });

  it("reads to the close a body whose transfer-coding is not chunked", async () => {
    const { host } = await rawServer((socket) =>
      socket.end("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\nall of it"),
    );
    expect((await connection(host).send()).body).toBe("all of it");
  });

  it("fails a malformed answer and a refused connection with their reasons", async () => {
    const { host } = await rawServer((socket) => socket.write("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    await expect(connection(host).send()).rejects.toMatchObject({ code: "EMALFORMED" });
    const closed = createServer();
    const port = (await listen(closed)).split(":")[1];
    await new Promise((resolve) => closed.close(resolve));
    servers.pop();
    await expect(connection(`127.0.0.1:${port}`).send()).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("reads headers only when asked, joining repeats, and keeps at most 4 MiB of body", async () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const { host } = await rawServer((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nX-Version: v2\r\nSet-Thing: a\r\nset-thing: b\r\nContent-Length: ${big.length}\r\n\r\n${big}`),
    );
    expect((await connection(host, { readBody: false }).send()).headers).toEqual({});
    const response = await connection(host, { readHeaders: true }).send();
    expect(response.headers).toMatchObject({ "x-version": "v2", "set-thing": "a, b" });
    expect(response.body.length).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect(response.body.length).toBeLessThan(big.length);
  });

  it("speaks TLS to an https URL and verifies the certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cutover-tls-"));
    const defaults = getCACertificates("default");
    try {
      // A fresh self-signed certificate for 127.0.0.1 (openssl, as a real server's would be made).
      execFileSync(
        "openssl",
        [
          ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
          ...["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
          ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
        ],
        { stdio: "ignore" },
      );
      const cert = readFileSync(join(dir, "cert.pem"), "utf8");
      const server = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert }, (socket) => {
        socket.on("data", () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure"));
      });
      const host = await listen(server);
      await expect(connection(host, {}, "https").send()).rejects.toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
      setDefaultCACertificates([...defaults, cert]);
      expect((await connection(host, {}, "https").send()).body).toBe("secure");
    } finally {
      setDefaultCACertificates(defaults);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
