package docs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/server"
)

// call sends one JSON request (body nil: none) and decodes the JSON answer into out (nil:
// discard it). It returns the status.
func call(method, url, token string, body, out any) int {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			log.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		log.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			log.Fatal(err)
		}
	}
	return resp.StatusCode
}

// credentials are what TOMS shows an LEA coordinator once.
type credentials struct {
	Username  string `json:"username"`
	SecretKey string `json:"secretKey"`
}

// tomsCredentials is the LEA coordinator's part, through the control API: the default
// sandbox's first LEA, its new credentials, and one of its students with a 2017-18 Smarter
// Balanced report.
func tomsCredentials(base string) (lea string, pair credentials, ssid string) {
	var leas struct {
		LEAs []struct {
			CDS string `json:"cds"`
		} `json:"leas"`
	}
	call("GET", base+"/control/v1/sandboxes/default/leas", "", nil, &leas)
	lea = leas.LEAs[0].CDS
	call("POST", base+"/control/v1/sandboxes/default/leas/"+lea+"/credentials", "",
		map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, &pair)
	var roster struct {
		Students []struct {
			SSID string `json:"ssid"`
		} `json:"students"`
	}
	call("GET", base+"/control/v1/sandboxes/default/leas/"+lea+"/students?assessment=smarter-balanced&schoolYear=2017-18&limit=1", "", nil, &roster)
	return lea, pair, roster.Students[0].SSID
}

// Example_embedTheMock runs the mock inside a Go test process: server.New is an
// http.Handler, and httptest serves it on a loopback port. The control API plays TOMS; the
// vendor API is what your integration calls instead of the state's service.
func Example_embedTheMock() {
	srv, err := server.New(server.Config{Seed: 1, Scale: "tiny"})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	_, pair, ssid := tomsCredentials(ts.URL)

	// Your integration: the pair for a token, the token for the student's reports.
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	call("POST", ts.URL+"/api/v1/token", "", pair, &tok)
	fmt.Println("token:", tok.TokenType, tok.ExpiresIn, "seconds")
	var listing struct {
		Reports []struct {
			SchoolYear string `json:"schoolYear"`
			Assessment string `json:"assessment"`
			Language   string `json:"language"`
			URL        string `json:"url"`
		} `json:"reports"`
	}
	call("GET", ts.URL+"/api/v1/students/"+ssid+"/reports", tok.AccessToken, nil, &listing)
	for _, r := range listing.Reports {
		fmt.Println(r.SchoolYear, r.Assessment, r.Language)
	}

	// The link needs no token; the PDF comes byte for byte.
	resp, err := http.Get(listing.Reports[0].URL)
	if err != nil {
		log.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Header.Get("Content-Type"), string(pdf[:5]))

	// Sandbox time moves only when told to: 31 minutes on, the link has expired.
	call("POST", ts.URL+"/control/v1/sandboxes/default/clock", "", map[string]string{"advance": "31m"}, nil)
	var expired struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	status := call("GET", listing.Reports[0].URL, "", nil, &expired)
	fmt.Println(status, expired.Error.Code)
	// Output:
	// token: Bearer 1800 seconds
	// 2015-16 smarter-balanced en
	// 2016-17 smarter-balanced en
	// 2017-18 smarter-balanced en
	// application/pdf %PDF-
	// 403 link_expired
}

// portal is a toy Go integration with the driver package's Driver interface on top:
// Configure stores an LEA's pair, View lists a student's reports with it.
type portal struct {
	pairs map[string]driver.Config
}

var _ driver.Driver = (*portal)(nil)

func (p *portal) Hello(context.Context) (driver.Hello, error) {
	return driver.Hello{Name: "Go example portal", Version: "1.0.0"}, nil
}

func (p *portal) Reset(context.Context) error {
	p.pairs = map[string]driver.Config{}
	return nil
}

func (p *portal) Configure(_ context.Context, c driver.Config) error {
	if p.pairs == nil {
		p.pairs = map[string]driver.Config{}
	}
	p.pairs[c.LEA] = c
	return nil
}

func (p *portal) View(_ context.Context, lea, ssid string) (driver.View, error) {
	c, ok := p.pairs[lea]
	if !ok {
		return driver.View{Outcome: driver.AuthError, Message: "no credentials for this LEA"}, nil
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if call("POST", c.BaseURL+"/token", "", credentials{c.Username, c.SecretKey}, &tok) != http.StatusOK {
		return driver.View{Outcome: driver.AuthError, Message: "the pair was refused"}, nil
	}
	var listing struct {
		Reports []driver.ViewReport `json:"reports"`
	}
	if call("GET", c.BaseURL+"/students/"+ssid+"/reports", tok.AccessToken, nil, &listing) != http.StatusOK {
		return driver.View{Outcome: driver.Unavailable}, nil
	}
	return driver.View{Outcome: driver.OK, Reports: listing.Reports}, nil
}

// Example_goDriver is a Go vendor's driver: implement driver.Driver on top of your
// integration and serve it on stdin/stdout with driver.Serve (here on strings, to show the
// exchange); `ssrmock conform --driver-cmd "go run ./your/driver"` then runs the suite on it.
func Example_goDriver() {
	srv, err := server.New(server.Config{Seed: 1, Scale: "tiny"})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	lea, pair, ssid := tomsCredentials(ts.URL)

	configure, _ := json.Marshal(map[string]any{"id": 2, "op": "configure", "lea": lea,
		"baseURL": ts.URL + "/api/v1", "username": pair.Username, "secretKey": pair.SecretKey})
	in := strings.Join([]string{
		`{"id":1,"op":"hello"}`,
		string(configure),
		fmt.Sprintf(`{"id":3,"op":"view","lea":%q,"ssid":%q}`, lea, ssid),
	}, "\n")
	var out bytes.Buffer
	if err := driver.Serve(context.Background(), &portal{}, strings.NewReader(in), &out); err != nil && !errors.Is(err, io.EOF) {
		log.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var reply struct {
			ID      int    `json:"id"`
			OK      bool   `json:"ok"`
			Name    string `json:"name"`
			Outcome string `json:"outcome"`
			Reports []struct {
				SchoolYear string `json:"schoolYear"`
			} `json:"reports"`
		}
		if err := json.Unmarshal([]byte(line), &reply); err != nil {
			fmt.Fprintln(os.Stderr, line)
			log.Fatal(err)
		}
		fmt.Printf("reply %d: ok=%v name=%q outcome=%q reports=%d\n", reply.ID, reply.OK, reply.Name, reply.Outcome, len(reply.Reports))
	}
	// Output:
	// reply 1: ok=true name="Go example portal" outcome="" reports=0
	// reply 2: ok=true name="" outcome="" reports=0
	// reply 3: ok=true name="" outcome="ok" reports=3
}
