package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

func TestMain(m *testing.M) { Main(m) }

// mustPool opens a pgxpool on dsn, closed when tb ends.
func mustPool(tb testing.TB, dsn string) *pgxpool.Pool {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// mustQueryString runs a query answering one text value.
func mustQueryString(tb testing.TB, pool *pgxpool.Pool, q string) string {
	tb.Helper()
	var s string
	if err := pool.QueryRow(context.Background(), q).Scan(&s); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return s
}

// dbOf is the database a DSN names.
func dbOf(tb testing.TB, dsn string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func TestStartAnswersThroughPgxpoolAndDatabaseSQL(t *testing.T) {
	dsn := Start(t)
	pool := mustPool(t, dsn)
	if v := mustQueryString(t, pool, "SELECT version()"); !strings.HasPrefix(v, "PostgreSQL ") {
		t.Errorf("SELECT version() = %q; want PostgreSQL's banner", v)
	}
	if got, want := mustQueryString(t, pool, "SELECT current_database()"), dbOf(t, dsn); got != want {
		t.Errorf("pgxpool is in database %q; the DSN names %q", got, want)
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got string
	if err := db.QueryRow("SELECT current_database()").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := dbOf(t, dsn); got != want {
		t.Errorf("database/sql is in database %q; the DSN names %q", got, want)
	}
}

func TestStartGivesSeparateDatabasesOnOneServer(t *testing.T) {
	a, b := Start(t), Start(t)
	if dbOf(t, a) == dbOf(t, b) {
		t.Fatalf("two Start calls gave the same database %q", dbOf(t, a))
	}
	pa, pb := mustPool(t, a), mustPool(t, b)
	if got, want := mustQueryString(t, pa, "SELECT inet_server_port()::text"), mustQueryString(t, pb, "SELECT inet_server_port()::text"); got != want {
		t.Errorf("the databases are on ports %s and %s; want one server", got, want)
	}
	ctx := context.Background()
	if _, err := pa.Exec(ctx, "CREATE TABLE only_in_a (x int); INSERT INTO only_in_a VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pa.QueryRow(ctx, "SELECT x FROM only_in_a").Scan(&n); err != nil || n != 7 {
		t.Errorf("reading back in a: %d, %v; want 7", n, err)
	}
	var found bool
	if err := pb.QueryRow(ctx, "SELECT to_regclass('only_in_a') IS NOT NULL").Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Error("a table created in one database is visible in the other")
	}
}

func TestServerSettings(t *testing.T) {
	pool := mustPool(t, Start(t))
	srv := shared.srv
	for setting, want := range map[string]string{
		"listen_addresses":        "127.0.0.1",
		"port":                    strconv.Itoa(srv.port),
		"unix_socket_directories": srv.base,
		"fsync":                   "on",
		"synchronous_commit":      "off",
		"full_page_writes":        "on",
	} {
		if got := mustQueryString(t, pool, "SHOW "+setting); got != want {
			t.Errorf("SHOW %s = %q; want %q", setting, got, want)
		}
	}
	fi, err := os.Stat(srv.base)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("the socket directory %s has mode %v; want it private to the server's user", srv.base, perm)
	}
}

func TestNothingListensBeyondLoopback(t *testing.T) {
	Start(t)
	port := strconv.Itoa(shared.srv.port)
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		tried++
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), port), 2*time.Second); err == nil {
			c.Close()
			t.Errorf("the server accepts connections on %s:%s", ipn.IP, port)
		}
	}
	if tried == 0 {
		t.Log("this machine has no IPv4 address beyond loopback; TestServerSettings checks listen_addresses")
	}
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", port), 2*time.Second); err != nil {
		t.Errorf("the server does not accept connections on 127.0.0.1:%s: %v", port, err)
	} else {
		c.Close()
	}
}

func TestServerRunsAsUnprivilegedUser(t *testing.T) {
	pool := mustPool(t, Start(t))
	var backend int
	if err := pool.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{backend, shared.srv.cmd.Process.Pid} {
		got := uidOf(t, pid)
		want := os.Geteuid()
		if want == 0 {
			cred, err := serverCredential()
			if err != nil {
				t.Fatal(err)
			}
			want = int(cred.Uid)
			if got == 0 {
				t.Errorf("process %d of the server runs as root", pid)
			}
		}
		if got != want {
			t.Errorf("process %d of the server runs as uid %d; want %d", pid, got, want)
		}
	}
}

func TestDatabaseDroppedWhenItsTestEnds(t *testing.T) {
	var dsn string
	t.Run("user", func(t *testing.T) {
		dsn = Start(t)
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop ends it.
		_ = conn
	})
	_, err := pgx.Connect(context.Background(), dsn)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		t.Errorf("connecting to %s after its test ended: %v; want invalid_catalog_name (3D000)", dbOf(t, dsn), err)
	}
}

func TestDatabaseName(t *testing.T) {
	for _, tc := range []struct {
		n          int
		test, want string
	}{
		{1, "TestX", "t1_testx"},
		{12, "TestStore/Postgres/regenerate-24", "t12_teststore_postgres_regenerate_24"},
		{3, strings.Repeat("A", 80), "t3_" + strings.Repeat("a", 60)},
	} {
		if got := databaseName(tc.n, tc.test); got != tc.want {
			t.Errorf("databaseName(%d, %q) = %q; want %q", tc.n, tc.test, got, tc.want)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want int
	}{
		{"/usr/lib/postgresql/15/bin", 1500},
		{"/usr/lib/postgresql/9.6/bin", 906},
		{"/usr/lib/postgresql/bin/bin", 0},
	} {
		if got := versionOf(tc.dir); got != tc.want {
			t.Errorf("versionOf(%q) = %d; want %d", tc.dir, got, tc.want)
		}
	}
}

// uidOf is the real uid of a process, from /proc.
func uidOf(tb testing.TB, pid int) int {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			uid, err := strconv.Atoi(strings.Fields(rest)[0])
			if err != nil {
				tb.Fatal(err)
			}
			return uid
		}
	}
	tb.Fatalf("/proc/%d/status has no Uid line", pid)
	return -1
}
