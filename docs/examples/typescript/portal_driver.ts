/**
 * A toy parent portal's integration with the SSR service, and its ssrmock driver, in
 * TypeScript on Node.js (20 or later) with nothing but Node's standard library and its
 * built-in fetch.
 *
 * The "portal" is deliberately small, but it follows every rule of docs/api.md that the
 * conformance suite checks:
 *
 *   - the LEA's User Name and Secret Key go only into the body of POST /token, the token
 *     only into the Authorization header: never a secret in a URL;
 *   - the token is reused until shortly before it expires (counted from the answer's Date),
 *     and renewed once, with one more try, when a listing answers 401;
 *   - a pair the token endpoint rejected (401) is not sent again until the LEA enters new
 *     credentials; a token request that failed any other way is "unavailable", not a rejection;
 *   - every page view lists the student's reports afresh (links live 30 minutes) and hands
 *     the parent's browser the links as the service gave them, every program, year, language
 *     and format the service lists; nothing is cached, not even "not found";
 *   - 429 and 503 answers with Retry-After are not retried: no request for that LEA before
 *     the Retry-After time has passed, in sandbox time counted from the answer's Date; other
 *     5xx answers are retried at most twice; every request has its own timeout, and a page
 *     view ends within about 3 seconds whatever the service does;
 *   - time is sandbox time: what the suite says through the "clock" operation, moved forward
 *     by the Date header of every answer. The wall clock is never consulted for expiry.
 *
 * Build and run it under the suite, over stdin/stdout:
 *
 *     cd docs/examples/typescript && npm ci && npx tsc
 *     ssrmock conform --driver-cmd "node docs/examples/typescript/dist/portal_driver.js"
 *
 * or over HTTP (then run the suite with --driver-url http://127.0.0.1:9000):
 *
 *     node docs/examples/typescript/dist/portal_driver.js --listen 127.0.0.1:9000
 *
 * In your own driver, replace the Portal class's insides with calls into your product: the
 * settings page that stores an LEA's credentials (configure) and the score-report page a
 * parent opens (view).
 */

import * as http from "node:http";
import * as readline from "node:readline";

const NAME = "Bayview Parent Portal (TypeScript example)";
const VERSION = "1.0.0";

const REQUEST_TIMEOUT_MS = 1500; // real time for one HTTP request
const PAGE_BUDGET_MS = 3000; // real time for one page view, retries included
const MAX_BODY = 32 << 20; // no answer of the service is larger

/** Outcome is what the parent saw, in the driver protocol's words. */
type Outcome = "ok" | "auth_error" | "unavailable" | "not_found" | "error";

/** ViewReport is one report, in one language and format, on the parent's page. */
interface ViewReport {
  schoolYear: string;
  assessment: string;
  language: string;
  format?: string;
  url: string;
}

/** View is the parent's score-report page. */
interface View {
  outcome: Outcome;
  reports: ViewReport[];
  message?: string;
}

/** Answer is one complete answer of the service. */
class Answer {
  readonly date: number | null; // the Date header, ms since the epoch (sandbox time)
  readonly retryAfterMs: number | null;
  readonly code: string; // the error envelope's code, for a 4xx or 5xx

  constructor(
    readonly status: number,
    headers: Headers,
    readonly body: Buffer,
  ) {
    const date = Date.parse(headers.get("date") ?? "");
    this.date = Number.isNaN(date) ? null : date;
    this.retryAfterMs = parseRetryAfter(headers.get("retry-after"), this.date);
    let code = "";
    if (status >= 400) {
      try {
        code = String(JSON.parse(body.toString("utf8")).error.code ?? "");
      } catch {
        // not the error envelope: the status alone decides
      }
    }
    this.code = code;
  }

  json(): any {
    return JSON.parse(this.body.toString("utf8"));
  }
}

/** parseRetryAfter reads Retry-After as seconds or as an HTTP date (relative to the answer's Date). */
function parseRetryAfter(value: string | null, date: number | null): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || date === null) return null;
  return Math.max(0, at - date);
}

/** Unanswered is a request the service gave no complete answer to: refused, dropped, timed out or cut short. */
class Unanswered extends Error {}

/** LEA is what the portal keeps for one LEA's (or one school's) credentials. */
class LEA {
  token: string | null = null;
  tokenExpires = 0; // sandbox time, ms
  rejected = ""; // the error code that rejected this pair, if any
  quietUntil = 0; // no request before this sandbox time (Retry-After)

  constructor(
    readonly baseURL: string,
    readonly username: string,
    readonly secretKey: string,
  ) {}
}

/** Portal is the toy portal: settings per LEA and the parent's score-report page. */
class Portal {
  private leas = new Map<string, LEA>();
  private now = 0; // sandbox time, ms since the epoch

  reset(): void {
    this.leas.clear();
    this.now = 0;
  }

  // Time ------------------------------------------------------------------------------------

  setClock(now: number): void {
    this.now = now;
  }

  /** observe moves our clock to the service's Date: it never runs behind the sandbox. */
  private observe(a: Answer): void {
    if (a.date !== null && a.date > this.now) this.now = a.date;
  }

  // Settings page ---------------------------------------------------------------------------

  /**
   * configure is an LEA administrator pasting new credentials: the old pair, its token and its
   * rejection are forgotten. A Retry-After still running is not: the service asked this
   * portal to wait, whichever pair it holds.
   */
  configure(lea: string, baseURL: string, username: string, secretKey: string, school = ""): void {
    const st = new LEA(baseURL.replace(/\/+$/, ""), username, secretKey);
    st.quietUntil = this.leas.get(key(lea, school))?.quietUntil ?? 0;
    this.leas.set(key(lea, school), st);
  }

  // Talking to the service ------------------------------------------------------------------

  /** send makes one request, bounded by its own timeout and the page's deadline. */
  private async send(method: string, url: string, deadline: number, body?: object, token?: string): Promise<Answer> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["Authorization"] = "Bearer " + token;
    const timeout = Math.max(50, Math.min(REQUEST_TIMEOUT_MS, deadline - Date.now()));
    let answer: Answer;
    try {
      const resp = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
        redirect: "error",
      });
      // fetch rejects a body shorter than its Content-Length while reading it.
      const data = Buffer.from(await resp.arrayBuffer());
      if (data.length > MAX_BODY) throw new Error("answer too large");
      answer = new Answer(resp.status, resp.headers, data);
    } catch (err) {
      // The error may name the URL, and a link's URL carries its signature: say less.
      throw new Unanswered(`${method} ${new URL(url).pathname}: ${(err as Error).name}`);
    }
    this.observe(answer);
    return answer;
  }

  /**
   * call is a request with the portal's retry policy: 429, and 503 with Retry-After, are not
   * retried (the LEA stays quiet until their time); other 5xx at most twice.
   */
  private async call(st: LEA, method: string, url: string, deadline: number, body?: object, token?: string): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const a = await this.send(method, url, deadline, body, token);
      if (a.status === 429 || (a.status === 503 && a.retryAfterMs !== null)) {
        if (a.retryAfterMs !== null) {
          const until = (a.date ?? this.now) + a.retryAfterMs;
          if (until > st.quietUntil) st.quietUntil = until;
        }
        return a;
      }
      if (a.status >= 500 && attempt < 2 && Date.now() + 200 < deadline) {
        await sleep(100 * (attempt + 1));
        continue;
      }
      return a;
    }
  }

  /** token is a token for st's pair: the cached one while valid, else a new one. */
  private async token(st: LEA, deadline: number, force: boolean): Promise<{ token?: string; failed?: View }> {
    if (!force && st.token && this.now < st.tokenExpires) return { token: st.token };
    const a = await this.call(st, "POST", st.baseURL + "/token", deadline, {
      username: st.username,
      secretKey: st.secretKey,
    });
    if (a.status === 200) {
      let reply: any = {};
      try {
        reply = a.json();
      } catch {
        // not understood: handled below
      }
      const life = Number(reply.expires_in) * 1000;
      if (typeof reply.access_token !== "string" || !(life > 0)) {
        return { failed: { outcome: "error", reports: [], message: "The service's token answer was not understood." } };
      }
      const start = a.date ?? this.now;
      st.token = reply.access_token;
      st.tokenExpires = start + life - Math.min(60_000, life / 10);
      return { token: reply.access_token };
    }
    if (a.status === 401) {
      st.rejected = a.code || "invalid_credentials";
      st.token = null;
      return { failed: rejectedView(st.rejected) };
    }
    return { failed: failureView(a) };
  }

  // The parent's page -----------------------------------------------------------------------

  /** view is what a parent sees on the student's score-report page. */
  async view(lea: string, ssid: string, school = ""): Promise<View> {
    if (!/^\d{10}$/.test(ssid)) {
      return { outcome: "error", reports: [], message: "An SSID has 10 digits." };
    }
    // A school's own pair, where the LEA gave it one, overrides the district's.
    const st = (school && this.leas.get(key(lea, school))) || this.leas.get(key(lea, ""));
    if (!st) {
      return { outcome: "auth_error", reports: [], message: "No SSR credentials are set up for this LEA." };
    }
    if (st.rejected) return rejectedView(st.rejected);
    if (this.now < st.quietUntil) {
      return {
        outcome: "unavailable",
        reports: [],
        message: "The score report service asked us to wait. Please try again later.",
      };
    }
    const deadline = Date.now() + PAGE_BUDGET_MS;
    try {
      return await this.listReports(st, ssid, deadline);
    } catch (err) {
      if (!(err instanceof Unanswered)) throw err;
      log("no answer from the service:", err.message);
      return {
        outcome: "unavailable",
        reports: [],
        message: "The score report service did not answer. Please try again later.",
      };
    }
  }

  private async listReports(st: LEA, ssid: string, deadline: number): Promise<View> {
    let t = await this.token(st, deadline, false);
    if (t.failed) return t.failed;
    const url = st.baseURL + "/students/" + encodeURIComponent(ssid) + "/reports";
    let a = await this.call(st, "GET", url, deadline, undefined, t.token);
    if (a.status === 401) {
      // The token expired or was superseded: one new token, one more try.
      st.token = null;
      t = await this.token(st, deadline, true);
      if (t.failed) return t.failed;
      a = await this.call(st, "GET", url, deadline, undefined, t.token);
    }
    if (a.status !== 200) return failureView(a);
    let listing: any;
    try {
      listing = a.json();
    } catch {
      return { outcome: "unavailable", reports: [], message: "The score report service's answer was not understood." };
    }
    const reports: ViewReport[] = (listing.reports ?? []).map((r: any) => {
      const v: ViewReport = { schoolYear: r.schoolYear, assessment: r.assessment, language: r.language, url: r.url };
      if (r.format) v.format = r.format;
      return v;
    });
    return { outcome: "ok", reports };
  }
}

function key(lea: string, school: string): string {
  return school ? lea + "/" + school : lea;
}

function rejectedView(code: string): View {
  const what = code === "credentials_expired" ? "have expired" : "were rejected";
  return {
    outcome: "auth_error",
    reports: [],
    message: `This LEA's SSR credentials ${what}: a coordinator must generate new ones in TOMS and enter them here.`,
  };
}

function failureView(a: Answer): View {
  if (a.status === 404 && a.code === "student_not_found") {
    return { outcome: "not_found", reports: [], message: "No score reports are available for this student here." };
  }
  if (a.status === 401) return { outcome: "auth_error", reports: [], message: "The service refused our token." };
  if (a.status === 429 || a.status >= 500) {
    return { outcome: "unavailable", reports: [], message: "The score report service is temporarily unavailable." };
  }
  return {
    outcome: "error",
    reports: [],
    message: `The score report service refused the request (${a.status} ${a.code}).`,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** log writes to stderr: stdout carries the protocol. */
function log(...args: unknown[]): void {
  process.stderr.write("portal: " + args.join(" ") + "\n");
}

/** perform performs one operation and returns the reply's fields; it throws for a failed operation. */
async function perform(portal: Portal, op: string, msg: any): Promise<object> {
  switch (op) {
    case "hello":
      return { name: NAME, version: VERSION, capabilities: ["clock"] };
    case "reset":
      portal.reset();
      return {};
    case "configure":
      for (const f of ["lea", "baseURL", "username", "secretKey"]) {
        if (typeof msg[f] !== "string") throw new Error(`configure: "${f}" is required`);
      }
      portal.configure(msg.lea, msg.baseURL, msg.username, msg.secretKey, msg.school ?? "");
      return {};
    case "view":
      return portal.view(String(msg.lea ?? ""), String(msg.ssid ?? ""), msg.school ?? "");
    case "clock": {
      const now = Date.parse(msg.now);
      if (Number.isNaN(now)) throw new Error(`clock: "now" is not a time: ${msg.now}`);
      portal.setClock(now);
      return {};
    }
  }
  throw new Error(`operation ${JSON.stringify(op)} not supported`);
}

/** serveLines is the subprocess transport: one JSON request a line on stdin, one reply a line on stdout. */
async function serveLines(portal: Portal): Promise<void> {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let reply: object;
    let id: unknown = null;
    try {
      const msg = JSON.parse(line);
      id = msg.id;
      reply = { id, ok: true, ...(await perform(portal, msg.op, msg)) };
    } catch (err) {
      // The operation failed: say so, and keep serving.
      reply = { id, ok: false, error: (err as Error).message };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  }
}

/** serveHTTP is the HTTP transport: POST /{op} with the request's fields, the reply as JSON. */
function serveHTTP(portal: Portal, addr: string): void {
  const i = addr.lastIndexOf(":");
  const host = addr.slice(0, i) || "0.0.0.0";
  const port = Number(addr.slice(i + 1));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      let reply: object;
      try {
        if (req.method !== "POST") throw new Error("POST an operation to /{op}");
        const text = Buffer.concat(chunks).toString("utf8");
        const msg = text.trim() ? JSON.parse(text) : {};
        const op = (req.url ?? "").split("?")[0].replace(/^\/+|\/+$/g, "");
        reply = { ok: true, ...(await perform(portal, op, msg)) };
      } catch (err) {
        reply = { ok: false, error: (err as Error).message };
      }
      const body = JSON.stringify(reply);
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(port, host, () => log("driver listening on", addr));
}

function main(): void {
  const args = process.argv.slice(2);
  const portal = new Portal();
  const at = args.indexOf("--listen");
  if (at >= 0) {
    if (!args[at + 1]) {
      log("--listen needs an address, e.g. 127.0.0.1:9000");
      process.exit(2);
    }
    serveHTTP(portal, args[at + 1]);
    return;
  }
  serveLines(portal).catch((err) => {
    log("stopped:", err);
    process.exit(1);
  });
}

main();
