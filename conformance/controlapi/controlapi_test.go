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
