package controlapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestDurationJSON(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{`"120s"`, 120 * time.Second},
		{`120`, 120 * time.Second},
		{`"90"`, 90 * time.Second},
		{`null`, 0},
	}
	for _, tt := range tests {
		var d Duration
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil || time.Duration(d) != tt.want {
			t.Errorf("unmarshal %s = %v, %v; want %v", tt.in, time.Duration(d), err, tt.want)
		}
	}
	b, err := json.Marshal(Fault{Route: RouteAll, RetryAfter: Duration(2 * time.Minute)})
	if err != nil || string(b) != `{"route":"*","retryAfter":"2m0s"}` {
		t.Errorf("marshal = %s, %v", b, err)
	}
}

func TestJournalSincePages(t *testing.T) {
	const total = 7
	mux := http.NewServeMux()
	mux.HandleFunc("GET /control/v1/sandboxes/sbx/journal", func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.Atoi(r.URL.Query().Get("after"))
		j := Journal{Next: int64(after), Entries: []Entry{}}
		for seq := after + 1; seq <= total && seq <= after+3; seq++ {
			j.Entries = append(j.Entries, Entry{Seq: int64(seq), Route: RouteToken, Status: 200})
			j.Next = int64(seq)
		}
		json.NewEncoder(w).Encode(j)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	entries, next, dropped, err := New(ts.URL, "", nil).JournalSince(context.Background(), "sbx", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != total-2 || next != total || dropped != 0 || entries[0].Seq != 3 {
		t.Errorf("got %d entries from #%d, next %d, dropped %d; want 5 from #3, next 7, dropped 0", len(entries), entries[0].Seq, next, dropped)
	}
}

func TestErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"unauthorized","message":"no token"}}`))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"not_found","message":"no sandbox"}}`))
	}))
	url := ts.URL
	_, err := New(url, "", nil).Sandbox(context.Background(), "x")
	var e *Error
	if !errors.As(err, &e) || e.Status != 401 || e.Code != "unauthorized" {
		t.Errorf("without token: %v, want 401 unauthorized", err)
	}
	_, err = New(url, "tok", nil).Sandbox(context.Background(), "x")
	if !errors.As(err, &e) || e.Status != 404 || e.Code != "not_found" || IsUnreachable(err) {
		t.Errorf("with token: %v, want 404 not_found", err)
	}
	ts.Close()
	if _, err := New(url, "", nil).Sandbox(context.Background(), "x"); !IsUnreachable(err) {
		t.Errorf("closed server: %v, want unreachable", err)
	}
}

func TestLEAAt(t *testing.T) {
	s := Student{Enrollments: []Enrollment{
		{LEA: "A", Start: "2018-08-20T08:00:00-07:00"},
		{LEA: "B", Start: "2019-03-01T08:00:00-08:00"},
	}}
	tests := []struct {
		at   string
		want string
	}{
		{"2018-01-01T00:00:00Z", "A"}, // before any enrollment: the first
		{"2018-12-01T00:00:00Z", "A"},
		{"2019-03-01T16:00:00Z", "B"}, // the instant the transfer starts
		{"2020-01-01T00:00:00Z", "B"},
	}
	for _, tt := range tests {
		at, _ := time.Parse(time.RFC3339, tt.at)
		if got := s.LEAAt(at); got != tt.want {
			t.Errorf("LEAAt(%s) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := (Student{}).LEAAt(time.Now()); got != "" {
		t.Errorf("no enrollment: LEAAt = %q, want \"\"", got)
	}
}
