package driver

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// schoolDriver records what it is told about schools, and answers a report in each format.
type schoolDriver struct {
	minimal
	mu      sync.Mutex
	configs []Config
	views   []string
}

var _ SchoolViewer = (*schoolDriver)(nil)

func (d *schoolDriver) Configure(ctx context.Context, c Config) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.configs = append(d.configs, c)
	return nil
}

func (d *schoolDriver) View(ctx context.Context, lea, ssid string) (View, error) {
	return d.ViewSchool(ctx, lea, "(none)", ssid)
}

func (d *schoolDriver) ViewSchool(ctx context.Context, lea, school, ssid string) (View, error) {
	d.mu.Lock()
	d.views = append(d.views, lea+" "+school+" "+ssid)
	d.mu.Unlock()
	return View{Outcome: OK, Reports: []ViewReport{
		{SchoolYear: "2025-26", Assessment: "cast", Language: "en", Format: "pdf", SHA256: "aa"},
		{SchoolYear: "2025-26", Assessment: "cast", Language: "en", Format: "html", SHA256: "bb"},
	}}, nil
}

// TestSchoolAndFormat checks that configure's school and view's school reach the driver, a
// view without a school goes to View, and the formats of the reports come back.
func TestSchoolAndFormat(t *testing.T) {
	ctx := context.Background()
	d := &schoolDriver{}
	srv := httptest.NewServer(NewHandler(d))
	defer srv.Close()
	c, err := Dial(srv.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{LEA: "01611920000000", School: "01611920000001", BaseURL: "http://x/api/v1", Username: "u", SecretKey: "s"}
	if err := c.Configure(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	v, err := c.ViewSchool(ctx, cfg.LEA, cfg.School, "1234567890")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.View(ctx, cfg.LEA, "1234567890"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Config{cfg}, d.configs); diff != "" {
		t.Errorf("configs (-want +got):\n%s", diff)
	}
	want := []string{"01611920000000 01611920000001 1234567890", "01611920000000 (none) 1234567890"}
	if diff := cmp.Diff(want, d.views); diff != "" {
		t.Errorf("views (-want +got):\n%s", diff)
	}
	if len(v.Reports) != 2 || v.Reports[0].Format != "pdf" || v.Reports[1].Format != "html" {
		t.Errorf("reports %+v, want a pdf and an html", v.Reports)
	}
}
