/*
 * A toy parent portal's integration with the SSR service, and its ssrmock driver, in Java 17
 * with the JDK only: java.net.http.HttpClient for the service, com.sun.net.httpserver for the
 * protocol over HTTP, and a small JSON reader and writer at the end of this file (a real
 * product would use its own JSON library).
 *
 * The "portal" is deliberately small, but it follows every rule of docs/api.md that the
 * conformance suite checks:
 *
 *   - the LEA's User Name and Secret Key go only into the body of POST /token, the token only
 *     into the Authorization header: never a secret in a URL;
 *   - the token is reused until shortly before it expires (counted from the answer's Date),
 *     and renewed once, with one more try, when a listing answers 401;
 *   - a pair the token endpoint rejected (401) is not sent again until the LEA enters new
 *     credentials; a token request that failed any other way is "unavailable", not a rejection;
 *   - every page view lists the student's reports afresh (links live 30 minutes) and hands the
 *     parent's browser the links as the service gave them, every program, year, language and
 *     format the service lists; nothing is cached, not even "not found";
 *   - 429 and 503 answers with Retry-After are not retried: no request for that LEA before the
 *     Retry-After time has passed, in sandbox time counted from the answer's Date; other 5xx
 *     answers are retried at most twice; every request has its own timeout, and a page view
 *     ends within about 3 seconds whatever the service does;
 *   - time is sandbox time: what the suite says through the "clock" operation, moved forward by
 *     the Date header of every answer. The wall clock is never consulted for expiry.
 *
 * Compile it once and run it under the suite, over stdin/stdout:
 *
 *     javac -d build docs/examples/java/PortalDriver.java
 *     ssrmock conform --driver-cmd "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp build PortalDriver"
 *
 * (the two flags make a short-lived JVM start in about a second on a small CI machine; Java's
 * single-file launcher, "java docs/examples/java/PortalDriver.java", works too but compiles at
 * every start), or serve it over HTTP and run the suite with --driver-url http://127.0.0.1:9000:
 *
 *     java -cp build PortalDriver --listen 127.0.0.1:9000
 *
 * In your own driver, replace the Portal class's insides with calls into your product: the
 * settings page that stores an LEA's credentials (configure) and the score-report page a parent
 * opens (view).
 */

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

public final class PortalDriver {
    static final String NAME = "Bayview Parent Portal (Java example)";
    static final String VERSION = "1.0.0";

    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500); // real time, one request
    static final Duration PAGE_BUDGET = Duration.ofMillis(3000); // real time, one page view
    static final Pattern SSID = Pattern.compile("\\d{10}");

    /** Logs go to stderr: stdout carries the protocol. */
    static void log(String msg) {
        System.err.println("portal: " + msg);
    }

    /** One complete answer of the service. */
    static final class Answer {
        final int status;
        final String body;
        final Instant date; // the Date header (sandbox time), or null
        final Duration retryAfter; // or null
        final String code; // the error envelope's code, for a 4xx or 5xx

        Answer(HttpResponse<String> resp) {
            status = resp.statusCode();
            body = resp.body();
            date = resp.headers().firstValue("Date").map(PortalDriver::parseHttpDate).orElse(null);
            retryAfter = resp.headers().firstValue("Retry-After").map(v -> parseRetryAfter(v, date)).orElse(null);
            String c = "";
            if (status >= 400) {
                try {
                    Object err = Json.object(Json.parse(body)).get("error");
                    c = Json.string(Json.object(err).get("code"));
                } catch (RuntimeException e) {
                    // not the error envelope: the status alone decides
                }
            }
            code = c;
        }
    }

    static Instant parseHttpDate(String v) {
        try {
            return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Retry-After as seconds, or as an HTTP date relative to the answer's Date. */
    static Duration parseRetryAfter(String v, Instant date) {
        String s = v.trim();
        if (s.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Instant at = parseHttpDate(s);
        if (at == null || date == null) {
            return null;
        }
        return at.isAfter(date) ? Duration.between(date, at) : Duration.ZERO;
    }

    /** The service gave no complete answer: refused, dropped, timed out or cut short. */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;

        Unanswered(String msg) {
            super(msg);
        }
    }

    /** A parent's page: an outcome, the reports shown and a message for people. */
    static Map<String, Object> view(String outcome, List<Object> reports, String message) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("outcome", outcome);
        v.put("reports", reports);
        v.put("message", message);
        return v;
    }

    /** What the portal keeps for one LEA's (or one school's) credentials. */
    static final class LEA {
        final String baseURL, username, secretKey;
        String token;
        Instant tokenExpires = Instant.EPOCH;
        String rejected = ""; // the error code that rejected this pair, if any
        Instant quietUntil = Instant.EPOCH; // no request before this sandbox time (Retry-After)

        LEA(String baseURL, String username, String secretKey) {
            this.baseURL = baseURL.replaceAll("/+$", "");
            this.username = username;
            this.secretKey = secretKey;
        }
    }

    /** The toy portal: settings per LEA and the parent's score-report page. */
    static final class Portal {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        private final Map<String, LEA> leas = new HashMap<>();
        private Instant now = Instant.EPOCH;

        /**
         * Sends one request to a throwaway loopback server, so that the HTTP client's classes
         * are loaded before the first page view: a cold JVM can take longer than the
         * per-request timeout to send its first request, and the page would say "unavailable"
         * for the JVM's sake, not the service's.
         */
        void warmUp() {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                s.createContext("/", ex -> {
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().set("Date", "Mon, 11 Feb 2019 16:00:00 GMT");
                    ex.sendResponseHeaders(204, -1);
                    ex.close();
                });
                s.start();
                try {
                    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/"))
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build();
                    new Answer(http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                } finally {
                    s.stop(0);
                }
            } catch (IOException e) {
                log("warm-up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void reset() {
            leas.clear();
            now = Instant.EPOCH;
        }

        // Time ---------------------------------------------------------------------------------

        synchronized void setClock(Instant t) {
            now = t;
        }

        synchronized Instant now() {
            return now;
        }

        /** The Date header is the service's (sandbox) time: our clock never runs behind it. */
        private synchronized void observe(Answer a) {
            if (a.date != null && a.date.isAfter(now)) {
                now = a.date;
            }
        }

        // Settings page ------------------------------------------------------------------------

        /**
         * An LEA administrator pastes new credentials: forget the old pair, its token and its
         * rejection. A Retry-After still running is kept: the service asked this portal to wait,
         * whichever pair it holds.
         */
        synchronized void configure(String lea, String school, String baseURL, String username, String secretKey) {
            LEA st = new LEA(baseURL, username, secretKey);
            LEA old = leas.get(key(lea, school));
            if (old != null) {
                st.quietUntil = old.quietUntil;
            }
            leas.put(key(lea, school), st);
        }

        private static String key(String lea, String school) {
            return school.isEmpty() ? lea : lea + "/" + school;
        }

        // Talking to the service ---------------------------------------------------------------

        /** One request, bounded by its own timeout and the page's deadline. */
        private Answer send(String method, String url, String jsonBody, String token, long deadlineNanos)
                throws Unanswered {
            long left = Math.max(50, Math.min(REQUEST_TIMEOUT.toMillis(), (deadlineNanos - System.nanoTime()) / 1_000_000));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMillis(left))
                    .header("Accept", "application/json");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (jsonBody != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            Answer a;
            try {
                // HttpClient fails a body shorter than its Content-Length with an IOException.
                a = new Answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                // The message may name the URL, and a link's URL carries its signature: say less.
                throw new Unanswered(method + " " + URI.create(url).getPath() + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unanswered("interrupted");
            }
            observe(a);
            return a;
        }

        /**
         * A request with the portal's retry policy: 429, and 503 with Retry-After, are not retried
         * (the LEA stays quiet until their time); other 5xx at most twice.
         */
        private Answer call(LEA st, String method, String url, String jsonBody, String token, long deadlineNanos)
                throws Unanswered {
            for (int attempt = 0; ; attempt++) {
                Answer a = send(method, url, jsonBody, token, deadlineNanos);
                if (a.status == 429 || (a.status == 503 && a.retryAfter != null)) {
                    if (a.retryAfter != null) {
                        synchronized (this) {
                            Instant until = (a.date != null ? a.date : now).plus(a.retryAfter);
                            if (until.isAfter(st.quietUntil)) {
                                st.quietUntil = until;
                            }
                        }
                    }
                    return a;
                }
                if (a.status >= 500 && attempt < 2 && System.nanoTime() + 200_000_000L < deadlineNanos) {
                    try {
                        Thread.sleep(100L * (attempt + 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return a;
                    }
                    continue;
                }
                return a;
            }
        }

        /** A token, or the page to show instead. */
        private record Token(String token, Map<String, Object> failed) {
            static Token of(String token) {
                return new Token(token, null);
            }

            static Token failed(Map<String, Object> page) {
                return new Token(null, page);
            }
        }

        /** A token for st's pair: the cached one while valid, else a new one. */
        private Token token(LEA st, long deadlineNanos, boolean force) throws Unanswered {
            synchronized (this) {
                if (!force && st.token != null && now.isBefore(st.tokenExpires)) {
                    return Token.of(st.token);
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", st.username);
            body.put("secretKey", st.secretKey);
            Answer a = call(st, "POST", st.baseURL + "/token", Json.write(body), null, deadlineNanos);
            if (a.status == 200) {
                String tok;
                long life;
                try {
                    Map<String, Object> reply = Json.object(Json.parse(a.body));
                    tok = Json.string(reply.get("access_token"));
                    life = ((Number) reply.get("expires_in")).longValue();
                } catch (RuntimeException e) {
                    return Token.failed(PortalDriver.view("error", List.of(), "The service's token answer was not understood."));
                }
                synchronized (this) {
                    Instant start = a.date != null ? a.date : now;
                    Duration lifetime = Duration.ofSeconds(life);
                    Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofMinutes(1)) < 0
                            ? lifetime.dividedBy(10) : Duration.ofMinutes(1);
                    st.token = tok;
                    st.tokenExpires = start.plus(lifetime).minus(margin);
                }
                return Token.of(tok);
            }
            if (a.status == 401) {
                String code = a.code.isEmpty() ? "invalid_credentials" : a.code;
                synchronized (this) {
                    st.rejected = code;
                    st.token = null;
                }
                return Token.failed(rejectedView(code));
            }
            return Token.failed(failureView(a));
        }

        // The parent's page --------------------------------------------------------------------

        /** What a parent sees on the student's score-report page. */
        Map<String, Object> view(String lea, String ssid, String school) {
            if (!SSID.matcher(ssid).matches()) {
                return PortalDriver.view("error", List.of(), "An SSID has 10 digits.");
            }
            LEA st;
            synchronized (this) {
                // A school's own pair, where the LEA gave it one, overrides the district's.
                st = school.isEmpty() ? null : leas.get(key(lea, school));
                if (st == null) {
                    st = leas.get(key(lea, ""));
                }
                if (st == null) {
                    return PortalDriver.view("auth_error", List.of(), "No SSR credentials are set up for this LEA.");
                }
                if (!st.rejected.isEmpty()) {
                    return rejectedView(st.rejected);
                }
                if (now.isBefore(st.quietUntil)) {
                    return PortalDriver.view("unavailable", List.of(),
                            "The score report service asked us to wait. Please try again later.");
                }
            }
            long deadline = System.nanoTime() + PAGE_BUDGET.toNanos();
            try {
                return listReports(st, ssid, deadline);
            } catch (Unanswered e) {
                log("no answer from the service: " + e.getMessage());
                return PortalDriver.view("unavailable", List.of(),
                        "The score report service did not answer. Please try again later.");
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> listReports(LEA st, String ssid, long deadline) throws Unanswered {
            Token tok = token(st, deadline, false);
            if (tok.failed() != null) {
                return tok.failed();
            }
            String url = st.baseURL + "/students/" + URLEncoder.encode(ssid, StandardCharsets.UTF_8) + "/reports";
            Answer a = call(st, "GET", url, null, tok.token(), deadline);
            if (a.status == 401) {
                // The token expired or was superseded: one new token, one more try.
                synchronized (this) {
                    st.token = null;
                }
                tok = token(st, deadline, true);
                if (tok.failed() != null) {
                    return tok.failed();
                }
                a = call(st, "GET", url, null, tok.token(), deadline);
            }
            if (a.status != 200) {
                return failureView(a);
            }
            List<Object> reports = new ArrayList<>();
            try {
                Object list = Json.object(Json.parse(a.body)).get("reports");
                for (Object o : list == null ? List.of() : (List<Object>) list) {
                    Map<String, Object> r = Json.object(o);
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("schoolYear", Json.string(r.get("schoolYear")));
                    v.put("assessment", Json.string(r.get("assessment")));
                    v.put("language", Json.string(r.get("language")));
                    if (r.get("format") != null) {
                        v.put("format", Json.string(r.get("format")));
                    }
                    v.put("url", Json.string(r.get("url")));
                    reports.add(v);
                }
            } catch (RuntimeException e) {
                return PortalDriver.view("unavailable", List.of(), "The score report service's answer was not understood.");
            }
            return PortalDriver.view("ok", reports, "");
        }
    }

    static Map<String, Object> rejectedView(String code) {
        String what = code.equals("credentials_expired") ? "have expired" : "were rejected";
        return view("auth_error", List.of(), "This LEA's SSR credentials " + what
                + ": a coordinator must generate new ones in TOMS and enter them here.");
    }

    static Map<String, Object> failureView(Answer a) {
        if (a.status == 404 && a.code.equals("student_not_found")) {
            return view("not_found", List.of(), "No score reports are available for this student here.");
        }
        if (a.status == 401) {
            return view("auth_error", List.of(), "The service refused our token.");
        }
        if (a.status == 429 || a.status >= 500) {
            return view("unavailable", List.of(), "The score report service is temporarily unavailable.");
        }
        return view("error", List.of(), "The score report service refused the request (" + a.status + " " + a.code + ").");
    }

    // The protocol ------------------------------------------------------------------------------

    /** Performs one operation and returns the reply's fields. Throws for a failed operation. */
    static Map<String, Object> perform(Portal portal, String op, Map<String, Object> msg) {
        Map<String, Object> reply = new LinkedHashMap<>();
        switch (op) {
            case "hello":
                reply.put("name", NAME);
                reply.put("version", VERSION);
                reply.put("capabilities", List.of("clock"));
                return reply;
            case "reset":
                portal.reset();
                return reply;
            case "configure":
                portal.configure(required(msg, "lea"), optional(msg, "school"), required(msg, "baseURL"),
                        required(msg, "username"), required(msg, "secretKey"));
                return reply;
            case "view":
                return portal.view(optional(msg, "lea"), optional(msg, "ssid"), optional(msg, "school"));
            case "clock":
                portal.setClock(OffsetDateTime.parse(required(msg, "now")).toInstant());
                return reply;
            default:
                throw new IllegalArgumentException("operation \"" + op + "\" not supported");
        }
    }

    static String required(Map<String, Object> msg, String field) {
        if (!(msg.get(field) instanceof String)) {
            throw new IllegalArgumentException("\"" + field + "\" is required");
        }
        return (String) msg.get(field);
    }

    static String optional(Map<String, Object> msg, String field) {
        return msg.get(field) instanceof String ? (String) msg.get(field) : "";
    }

    /** The subprocess transport: one JSON request a line on stdin, one reply a line on stdout. */
    static void serveLines(Portal portal) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            try {
                Map<String, Object> msg = Json.object(Json.parse(line));
                reply.put("id", msg.get("id"));
                reply.put("ok", true);
                reply.putAll(perform(portal, optional(msg, "op"), msg));
            } catch (RuntimeException e) {
                // The operation failed: say so, and keep serving.
                reply.put("ok", false);
                reply.put("error", String.valueOf(e.getMessage()));
            }
            out.print(Json.write(reply) + "\n");
            out.flush();
        }
    }

    /** The HTTP transport: POST /{op} with the request's fields, the reply as JSON. */
    static void serveHTTP(Portal portal, String addr) throws IOException {
        int i = addr.lastIndexOf(':');
        String host = i > 0 ? addr.substring(0, i) : "0.0.0.0";
        HttpServer server = HttpServer.create(new InetSocketAddress(host, Integer.parseInt(addr.substring(i + 1))), 0);
        server.createContext("/", ex -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            try {
                try {
                    if (!ex.getRequestMethod().equals("POST")) {
                        throw new IllegalArgumentException("POST an operation to /{op}");
                    }
                    String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<String, Object> msg = text.isBlank() ? new HashMap<>() : Json.object(Json.parse(text));
                    String op = ex.getRequestURI().getPath().replaceAll("^/+|/+$", "");
                    reply.put("ok", true);
                    reply.putAll(perform(portal, op, msg));
                } catch (RuntimeException e) {
                    reply.clear();
                    reply.put("ok", false);
                    reply.put("error", String.valueOf(e.getMessage()));
                }
                byte[] body = Json.write(reply).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            } finally {
                ex.close();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        log("driver listening on " + addr);
    }

    public static void main(String[] args) throws IOException {
        Portal portal = new Portal();
        portal.warmUp();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--listen")) {
                if (i + 1 == args.length) {
                    log("--listen needs an address, e.g. 127.0.0.1:9000");
                    System.exit(2);
                }
                serveHTTP(portal, args[i + 1]);
                return;
            }
        }
        serveLines(portal);
        System.exit(0); // stdin closed: the suite is done (do not wait for idle HTTP threads)
    }

    /** The little JSON this driver needs: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json p = new Json(s);
            Object v = p.value();
            p.space();
            if (p.i != s.length()) {
                throw p.error("trailing characters");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object o) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return (Map<String, Object>) o;
        }

        static String string(Object o) {
            if (!(o instanceof String)) {
                throw new IllegalArgumentException("not a JSON string");
            }
            return (String) o;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    space();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        space();
                        if (i >= s.length() || s.charAt(i) != '"') {
                            throw error("expected a key");
                        }
                        String k = str();
                        space();
                        expect(':');
                        m.put(k, value());
                        space();
                        if (i < s.length() && s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    space();
                    if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        space();
                        if (i < s.length() && s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect(']');
                        return l;
                    }
                }
                case '"':
                    return str();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    return number();
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private String str() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default:
                        throw error("bad escape");
                }
            }
        }

        private Number number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (n.isEmpty()) {
                throw error("unexpected character");
            }
            if (n.matches("-?\\d{1,18}")) {
                return Long.parseLong(n);
            }
            return Double.parseDouble(n);
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof String) {
                quote(b, (String) v);
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof List) {
                b.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o);
                }
                b.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + v.getClass());
            }
        }

        private static void quote(StringBuilder b, String s) {
            b.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                }
            }
            b.append('"');
        }
    }
}
