package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// formatsEnv is a sandbox of one scenario with a token and a student that has released
// reports.
type formatsEnv struct {
	*testEnv
	sbx string
}

// formatsFixture makes a sandbox of a scenario and finds a student with released reports.
func formatsFixture(t *testing.T, scenario string) (formatsEnv, string, string, groundTruth) {
	t.Helper()
	e := newTestEnv(t)
	sbx := e.newSandbox(map[string]any{"seed": 11, "scale": "tiny", "scenario": scenario}).ID
	lea := e.firstLEA(sbx).CDS
	tok := e.token(e.generate(sbx, lea))
	for _, st := range e.roster(sbx, lea, 200) {
		gt := e.truth(sbx, st.SSID, lea)
		for _, r := range gt.Reports {
			if r.Visible {
				return formatsEnv{e, sbx}, tok, st.SSID, gt
			}
		}
	}
	t.Fatalf("no student of the tiny %s world has a released report at the start", scenario)
	return formatsEnv{}, "", "", groundTruth{}
}

// TestFormatsByScenario checks that 2025-26 lists every report language as a PDF and as an
// HTML page, each with its own link, and 2018-19 as a PDF only.
func TestFormatsByScenario(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		want     []string
	}{{"2018-19", []string{"pdf"}}, {"2025-26", []string{"pdf", "html"}}} {
		t.Run(tc.scenario, func(t *testing.T) {
			e, tok, ssid, gt := formatsFixture(t, tc.scenario)
			list := e.list(tok, ssid)
			formats := map[string][]string{} // listing ID without format → formats
			for _, r := range list.Reports {
				base, format := splitFormat(r.ID)
				if format != r.Format {
					t.Errorf("%s: id says %s, format says %s", r.ID, format, r.Format)
				}
				formats[base] = append(formats[base], r.Format)
			}
			for base, got := range formats {
				if strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("%s listed as %v, want %v", base, got, tc.want)
				}
			}
			visible := 0
			for _, r := range gt.Reports {
				if r.Visible {
					visible++
				}
			}
			if visible != len(list.Reports) {
				t.Errorf("ground truth has %d visible report files, the listing %d", visible, len(list.Reports))
			}
		})
	}
}

// TestHTMLReportServed follows the HTML links of 2025-26: the page's bytes are the ground
// truth's, typed as HTML with a strict policy, behind the same ETag rules as the PDF, and
// the same page twice.
func TestHTMLReportServed(t *testing.T) {
	e, tok, ssid, gt := formatsFixture(t, "2025-26")
	want := map[string]string{}
	for _, r := range gt.Reports {
		want[r.ID] = r.SHA256
	}
	served := 0
	for _, r := range e.list(tok, ssid).Reports {
		if r.Format != "html" {
			continue
		}
		served++
		status, h, body := e.do("GET", r.URL, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", r.ID, status, body)
		}
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != want[r.ID] || h.Get("ETag") != `"`+got+`"` {
			t.Errorf("%s: sha256 %s, ETag %s; ground truth %s", r.ID, got, h.Get("ETag"), want[r.ID])
		}
		if got := h.Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", r.ID, got)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'; style-src 'sha256-") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", r.ID, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no X-Content-Type-Options: nosniff", r.ID)
		}
		if !bytes.HasPrefix(body, []byte("<!DOCTYPE html>")) || !bytes.Contains(body, []byte(`<html lang="`+r.Language+`">`)) {
			t.Errorf("%s: not an HTML page in %s: %.80q", r.ID, r.Language, body)
		}
		if status, _, _ := e.do("GET", r.URL, nil, "If-None-Match", h.Get("ETag")); status != http.StatusNotModified {
			t.Errorf("%s: If-None-Match with the ETag answered %d, want 304", r.ID, status)
		}
		if _, _, again := e.do("GET", r.URL, nil); !bytes.Equal(again, body) {
			t.Errorf("%s: a second download differs", r.ID)
		}
	}
	if served == 0 {
		t.Fatal("no HTML report listed")
	}
}

// TestHTMLLinkExpires checks that an HTML link lives 30 minutes of sandbox time, as a PDF
// link does, and that its signature covers the format.
func TestHTMLLinkExpires(t *testing.T) {
	e, tok, ssid, _ := formatsFixture(t, "2025-26")
	var html, pdf string
	for _, r := range e.list(tok, ssid).Reports {
		if r.Format == "html" && html == "" {
			html = r.URL
			pdf = strings.Replace(r.URL, ".html?", "?", 1)
		}
	}
	e.wantError("GET", pdf, nil, http.StatusForbidden, CodeSignatureInvalid)
	e.advance(e.sbx, map[string]any{"advance": "29m59s"})
	if status, _, _ := e.do("GET", html, nil); status != http.StatusOK {
		t.Fatalf("29m59s after listing: %d, want 200", status)
	}
	e.advance(e.sbx, map[string]any{"advance": "1s"})
	e.wantError("GET", html, nil, http.StatusForbidden, CodeLinkExpired)
}

// TestReportFileHeaders checks the headers every report file is served with, rendered and
// then from the cache: Content-Disposition names the file by its listing ID, as the OpenAPI
// document says, and Content-Length is the body's length.
func TestReportFileHeaders(t *testing.T) {
	e, tok, ssid, _ := formatsFixture(t, "2025-26")
	formats := map[string]bool{}
	for _, r := range e.list(tok, ssid).Reports {
		formats[r.Format] = true
		filename := r.ID + ".pdf"
		if r.Format == formatHTML {
			filename = r.ID // the ID ends in .html
		}
		var first http.Header
		for fetch := range 2 {
			status, h, body := e.do("GET", r.URL, nil)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", r.ID, status, body)
			}
			if got, want := h.Get("Content-Disposition"), `inline; filename="`+filename+`"`; got != want {
				t.Errorf("%s, fetch %d: Content-Disposition %q, want %q", r.ID, fetch, got, want)
			}
			if got, want := h.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
				t.Errorf("%s, fetch %d: Content-Length %s for %s bytes", r.ID, fetch, got, want)
			}
			if first == nil {
				first = h
				continue
			}
			for _, k := range []string{"Content-Type", "Content-Disposition", "Content-Length", "Etag", "Content-Security-Policy"} {
				if h.Get(k) != first.Get(k) {
					t.Errorf("%s: %s %q from the cache, %q when rendered", r.ID, k, h.Get(k), first.Get(k))
				}
			}
		}
	}
	if !formats[formatPDF] || !formats[formatHTML] {
		t.Fatalf("formats listed: %v, want pdf and html", formats)
	}
}
