package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// milestone is a clock milestone.
type milestone struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// demoStudent is a student of the tiny world who has a report to show at start and a report
// released later, while credentials made at start are still valid.
type demoStudent struct {
	SSID, First, Last, Language string
	Next                        time.Time
}

// elpacRelease is the calendar's first Summative ELPAC release: the demo starts there.
func elpacRelease(t *testing.T, control string) time.Time {
	t.Helper()
	var clock struct {
		Milestones []milestone `json:"milestones"`
	}
	getJSON(t, control+"/clock", &clock)
	for _, m := range clock.Milestones {
		if strings.Contains(m.Name, "Summative ELPAC first reports released") {
			return m.At
		}
	}
	t.Fatalf("no Summative ELPAC release among the milestones %v", clock.Milestones)
	return time.Time{}
}

// findStudent picks a student from the ground truth: a report visible at start, the next one
// released within 60 days, and reports in a second language when there is such a student.
func findStudent(t *testing.T, control, lea string, start time.Time) demoStudent {
	t.Helper()
	var roster struct {
		Students []struct {
			SSID           string `json:"ssid"`
			FirstName      string `json:"firstName"`
			LastName       string `json:"lastName"`
			ReportLanguage string `json:"reportLanguage"`
		} `json:"students"`
	}
	getJSON(t, control+"/leas/"+lea+"/students?limit=1000&assessment=summative-elpac&schoolYear=2018-19", &roster)
	var fallback *demoStudent
	for _, s := range roster.Students {
		var truth struct {
			Reports []struct {
				ReleasedAt time.Time `json:"releasedAt"`
				Visible    bool      `json:"visible"`
			} `json:"reports"`
		}
		getJSON(t, control+"/students/"+s.SSID+"/reports?at="+start.Format(time.RFC3339), &truth)
		var visible bool
		var next time.Time
		for _, r := range truth.Reports {
			visible = visible || r.Visible
			if r.ReleasedAt.After(start) && (next.IsZero() || r.ReleasedAt.Before(next)) {
				next = r.ReleasedAt
			}
		}
		if !visible || next.IsZero() || next.After(start.Add(60*24*time.Hour)) {
			continue
		}
		d := demoStudent{SSID: s.SSID, First: s.FirstName, Last: s.LastName, Language: s.ReportLanguage, Next: next}
		if d.Language != "" && d.Language != "en" {
			return d
		}
		if fallback == nil {
			fallback = &d
		}
	}
	if fallback == nil {
		t.Fatal("no student in the tiny world has a report at the ELPAC release and another soon after")
	}
	return *fallback
}

// TestDemoWalk walks the demo in Chromium: generate credentials in TOMS, use them in the
// portal, regenerate, see the portal refuse the old pair, paste the new one, move the clock
// to the student's next release and open the new report's PDF.
func TestDemoWalk(t *testing.T) {
	srv := newServer(t)
	control := srv.URL + "/control/v1/sandboxes/default"
	start := elpacRelease(t, control)
	var leas struct {
		LEAs []struct {
			CDS string `json:"cds"`
		} `json:"leas"`
	}
	getJSON(t, control+"/leas", &leas)
	lea := leas.LEAs[0].CDS
	student := findStudent(t, control, lea, start)
	t.Logf("student %s (%s %s), next release %s", student.SSID, student.First, student.Last, student.Next)

	began := time.Now()
	b := newBrowser(t, srv.URL)
	b.do("open the control panel",
		chromedp.Navigate(srv.URL+"/#control"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	b.checkKeyboard()
	jump := `button[data-jump="` + start.Format(time.RFC3339) + `"]`
	b.do("jump to the first ELPAC release",
		click(jump),
		waitText("#clock-status", "Moved to"),
		waitText("#header-now", "May 15, 2019"),
	)

	// TOMS: the first pair.
	b.do("generate credentials",
		view("toms"),
		waitText("#toms-status", "No credentials yet"),
		click("#toms-authorize"),
		click("#toms-generate"),
		chromedp.WaitVisible(chromedp.ID("toms-issued")),
		waitText("#toms-status", "Active"),
	)
	user1 := eval[string](b, `document.querySelector('#toms-new-username').value`)
	secret1 := eval[string](b, `document.querySelector('#toms-new-secret').value`)
	if len(secret1) != 20 || user1 == "" {
		t.Fatalf("TOMS showed User Name %q and a %d-character Secret Key, want a 20-character key", user1, len(secret1))
	}
	b.shot("toms-generated")
	b.checkAccessible("toms-generated")

	// The portal with the first pair.
	b.do("sign the portal in and find the student",
		view("portal"),
		fill("#vendor-username", user1),
		fill("#vendor-secret", secret1),
		click("#vendor-save"),
		fill("#search-q", student.First+" "+student.Last),
		click("#search-form button[type=submit]"),
		waitText("#search-status", " found"),
		click(`#search-results button[data-ssid="`+student.SSID+`"]`),
		chromedp.WaitVisible(chromedp.CSS("#report-list li[data-report]")),
		waitText("#vendor-status", "Signed in"),
	)
	before := eval[int](b, `document.querySelectorAll('#report-list li[data-report]').length`)
	if student.Language != "" && student.Language != "en" {
		b.do("switch the report language to English and back",
			click("#lang-en"),
			waitFor(`[...document.querySelectorAll('#report-list li[data-report]')].every(li => li.dataset.report.endsWith('.en'))`),
			click("#lang-"+student.Language),
			waitFor(`[...document.querySelectorAll('#report-list li[data-report]')].every(li => li.dataset.report.endsWith('.`+student.Language+`'))`),
		)
	}
	b.shot("portal-signed-in")
	b.checkAccessible("portal-signed-in")

	// TOMS: the ELPAC coordinator regenerates.
	b.do("regenerate credentials",
		view("toms"),
		waitText("#toms-generate", "Regenerate"),
		waitText("#toms-regen-warning", "stop working"),
		click("#coord-elpac"),
		click("#toms-authorize"),
		click("#toms-generate"),
		waitFor(`document.querySelector('#toms-new-username').value !== `+jsString(user1)),
		waitText("#toms-status", "regenerated"),
		waitText("#toms-issued-old", "stopped working"),
	)
	user2 := eval[string](b, `document.querySelector('#toms-new-username').value`)
	secret2 := eval[string](b, `document.querySelector('#toms-new-secret').value`)
	if user2 == user1 || secret2 == secret1 || len(secret2) != 20 {
		t.Fatalf("regenerating gave %q/%d characters after %q: want a new pair", user2, len(secret2), user1)
	}
	b.shot("toms-regenerated")

	// The portal still holds the old pair.
	b.do("see the portal refuse the superseded pair",
		view("portal"),
		click("#portal-refresh"),
		waitText("#portal-alert", "The credentials were regenerated in TOMS; paste the new pair in settings"),
		chromedp.WaitVisible(chromedp.ID("portal-open-settings")),
	)
	if n := eval[int](b, `document.querySelectorAll('#report-list li[data-report]').length`); n != 0 {
		t.Errorf("with a superseded pair the portal still lists %d reports", n)
	}
	b.shot("portal-credentials-regenerated")
	b.checkAccessible("portal-credentials-regenerated")

	b.do("paste the new pair",
		click("#portal-open-settings"),
		fill("#vendor-username", user2),
		fill("#vendor-secret", secret2),
		click("#vendor-save"),
		waitText("#vendor-status", "Signed in"),
		chromedp.WaitVisible(chromedp.CSS("#report-list li[data-report]")),
		waitFor(`document.querySelector('#portal-alert').textContent === ''`),
	)

	// A maintenance window on the report list, for one request.
	b.do("switch a maintenance fault on",
		view("control"),
		chromedp.SetValue(chromedp.ID("fault-kind"), "maintenance"),
		chromedp.SetValue(chromedp.ID("fault-route"), "reports"),
		fill("#fault-count", "1"),
		click("#fault-form button[type=submit]"),
		waitText("#fault-list", "503 maintenance"),
		waitFor(`document.querySelectorAll('#journal tbody tr').length >= 4`),
		waitText("#journal", "invalid_credentials"),
		waitText("#journal", "from demo-portal"),
	)
	b.shot("control-fault-journal")
	b.checkAccessible("control-fault-journal")
	b.do("see the portal explain the maintenance",
		view("portal"),
		click("#portal-refresh"),
		waitText("#portal-alert", "down for maintenance"),
		waitText("#portal-alert", "Try again in 30 seconds"),
		waitFor(`document.querySelector('#portal-retry').disabled`),
	)
	b.shot("portal-maintenance")
	b.checkAccessible("portal-maintenance")
	// Dropped connections until switched off: a browser retries a GET whose connection
	// closes without an answer once, so one dropped request alone would go unseen.
	b.do("drop the report list's connections",
		view("control"),
		chromedp.SetValue(chromedp.ID("fault-kind"), "drop"),
		chromedp.SetValue(chromedp.ID("fault-route"), "reports"),
		fill("#fault-count", "0"),
		click("#fault-form button[type=submit]"),
		waitText("#fault-list", "drop the connection"),
		view("portal"),
		click("#portal-refresh"),
		waitText("#portal-alert", "could not be reached"),
		view("control"),
		click(`#fault-list li:last-child button`),
		waitText("#fault-status", "Off: drop the connection"),
	)
	b.do("slow down one report list",
		chromedp.SetValue(chromedp.ID("fault-kind"), "slow"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#fault-kind').dispatchEvent(new Event('change'))`),
		fill("#fault-delay", "1"),
		fill("#fault-count", "1"),
		click("#fault-form button[type=submit]"),
		waitText("#fault-list", "delay 1s"),
		view("portal"),
		click("#portal-refresh"),
		waitText("#portal-progress", "Waiting for the score report service"),
		waitText("#portal-progress", "released as of"),
	)

	// The next release, through the portal's shortcut to the sandbox clock.
	b.do("move the clock to the student's next release",
		click("#next-release-jump"),
		waitText("#header-now", student.Next.In(start.Location()).Format("Jan 2, 2006")),
		chromedp.WaitVisible(chromedp.CSS(`#report-list li[data-new="true"]`)),
	)
	if after := eval[int](b, `document.querySelectorAll('#report-list li[data-report]').length`); after <= before {
		t.Errorf("after the release the portal lists %d reports, before %d", after, before)
	}
	b.do("open the new report",
		click(`#report-list li[data-new="true"] button`),
		chromedp.WaitVisible(chromedp.ID("pdf-viewer")),
		waitFor(`document.querySelector('#pdf-frame').src.includes('/api/v1/files/')`),
	)
	src := eval[string](b, `document.querySelector('#pdf-frame').src`)
	res, err := http.Get(src)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Errorf("the framed report %s answered %s, %q, %q…; want 200 application/pdf", src, res.Status, res.Header.Get("Content-Type"), body[:min(len(body), 8)])
	}
	if got := eval[string](b, `document.activeElement.id`); got != "pdf-title" {
		t.Errorf("after opening a report the focus is on #%s, want the report's heading", got)
	}
	b.waitPDFPaint()
	b.shot("portal-pdf")
	b.checkAccessible("portal-pdf")

	// The same pages on a phone.
	b.do("turn into a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	b.shot("phone-portal")
	b.checkAccessible("phone-portal")
	b.do("phone: TOMS", view("toms"))
	b.shot("phone-toms")
	b.checkAccessible("phone-toms")
	b.do("phone: control panel", view("control"))
	b.shot("phone-control")
	b.checkAccessible("phone-control")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("on a phone the control panel is %d pixels wide: it scrolls sideways", w)
	}

	// Back on a laptop, the pair's expiry: TOMS says so and the portal stops.
	b.do("jump to the credentials' expiry",
		chromedp.EmulateViewport(1280, 900),
		click("#milestones li.expiry button"),
		waitText("#clock-status", "Moved to"),
		view("toms"),
		waitText("#toms-status", "Expired"),
		waitText("#toms-reminder", "expired"),
	)
	b.shot("toms-expired")
	b.do("see the portal refuse the expired pair",
		view("portal"),
		waitText("#portal-alert", "The credentials have expired"),
	)
	b.shot("portal-expired")
	t.Logf("browser walk took %v", time.Since(began).Round(time.Millisecond))
}
