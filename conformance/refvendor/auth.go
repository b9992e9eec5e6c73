package refvendor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// tokenReply is the service's answer to POST /token.
type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// errMissing reports a configure without one of its fields.
func errMissing(c driver.Config) error {
	var miss []string
	for _, f := range []struct{ name, v string }{{"lea", c.LEA}, {"baseURL", c.BaseURL}, {"username", c.Username}, {"secretKey", c.SecretKey}} {
		if f.v == "" {
			miss = append(miss, f.name)
		}
	}
	return fmt.Errorf("configure: missing %s", strings.Join(miss, ", "))
}

// token returns a token for st's pair (cfg, generation gen): the cached one while it is valid
// on the vendor's clock, unless force, or a new one from the service.
func (v *Vendor) token(ctx context.Context, st *leaState, cfg driver.Config, gen int, force bool) (string, *driver.View) {
	v.mu.Lock()
	if !force && st.gen == gen && st.token != "" && (v.has(FaultNeverReauthenticates) || v.now.Before(st.tokenExp)) {
		tok := st.token
		v.mu.Unlock()
		return tok, nil
	}
	v.mu.Unlock()

	endpoint := strings.TrimRight(cfg.BaseURL, "/") + "/token"
	switch {
	case v.has(FaultSecretInURL):
		endpoint += "?" + url.Values{"username": {cfg.Username}, "secretKey": {cfg.SecretKey}}.Encode()
	case v.has(FaultSecretAsParamName):
		endpoint += "?" + url.QueryEscape(cfg.SecretKey)
	case v.has(FaultNoTokenTimeout):
		ctx = context.WithValue(ctx, untimed{}, true)
	}
	body := map[string]string{"username": cfg.Username, "secretKey": cfg.SecretKey}
	tries := 1
	if v.has(FaultRetry401Loop) {
		tries = 50
	}
	for i := 1; ; i++ {
		r, err := v.exchange(ctx, st, postJSON(endpoint, body))
		if err != nil {
			if v.has(FaultTokenFailureRejects) {
				return "", v.reject(st, gen, cfg.LEA, "token_request_failed")
			}
			return "", v.unavailable(cfg.LEA, "asking for a token", err)
		}
		switch {
		case r.status == http.StatusOK:
			var tr tokenReply
			if err := json.Unmarshal(r.body, &tr); err != nil || tr.AccessToken == "" || tr.ExpiresIn <= 0 {
				v.log.Warn("token: unreadable answer", "lea", cfg.LEA)
				return "", &driver.View{Outcome: driver.Failed, Message: "The SSR service sent an unreadable token answer."}
			}
			v.storeToken(st, gen, tr, r.date)
			v.log.Info("token: obtained", "lea", cfg.LEA, "expiresIn", tr.ExpiresIn)
			return tr.AccessToken, nil
		case r.status == http.StatusUnauthorized:
			if i < tries {
				continue
			}
			code := r.code
			if code == "" {
				code = "invalid_credentials"
			}
			return "", v.reject(st, gen, cfg.LEA, code)
		case v.has(FaultTokenFailureRejects):
			return "", v.reject(st, gen, cfg.LEA, fmt.Sprint(r.status))
		}
		return "", v.answerFailure(cfg.LEA, "asking for a token", r)
	}
}

// reject remembers that the service rejected st's pair of generation gen with code: the pair
// is not sent again until the LEA enters one.
func (v *Vendor) reject(st *leaState, gen int, lea, code string) *driver.View {
	v.mu.Lock()
	if st.gen == gen {
		st.rejected = code
	}
	v.mu.Unlock()
	v.log.Warn("token: pair rejected", "lea", lea, "code", code)
	return &driver.View{Outcome: driver.AuthError, Message: rejectedMessage(lea, code)}
}

// storeToken caches tr for st if st still holds the pair of generation gen. The token is
// taken to expire a safety margin before expires_in, counted from the answer's Date.
func (v *Vendor) storeToken(st *leaState, gen int, tr tokenReply, date time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if st.gen != gen {
		return
	}
	life := time.Duration(tr.ExpiresIn) * time.Second
	margin := min(time.Minute, life/10)
	if date.IsZero() {
		date = v.now
	}
	st.token, st.tokenExp = tr.AccessToken, date.Add(life-margin)
}

// dropToken forgets tok if it is still st's token.
func (v *Vendor) dropToken(st *leaState, tok string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if st.token == tok {
		st.token, st.tokenExp = "", time.Time{}
	}
}

// rejectedMessage tells the LEA administrator what to do about a rejected pair.
func rejectedMessage(lea, code string) string {
	what := "were rejected (" + code + "): they are wrong, or were replaced by newer ones"
	if code == "credentials_expired" {
		what = "have expired"
	}
	return fmt.Sprintf("The SSR service credentials of LEA %s %s. An LEA CAASPP or ELPAC coordinator must generate a new User Name and Secret Key in TOMS and enter them in the portal's settings.", lea, what)
}

// unavailable is the view of a request that got no complete answer.
func (v *Vendor) unavailable(lea, doing string, err error) *driver.View {
	v.log.Warn(doing+": no answer", "lea", lea, "err", err)
	msg := "The SSR service did not answer, or not completely. Please try again later."
	if errors.Is(err, context.Canceled) {
		msg = "The request was cancelled."
	}
	return &driver.View{Outcome: driver.Unavailable, Message: msg}
}

// answerFailure maps an unsuccessful answer of the service to what the parent sees.
func (v *Vendor) answerFailure(lea, doing string, r *reply) *driver.View {
	v.log.Warn(doing+": failed", "lea", lea, "status", r.status, "code", r.code)
	switch {
	case r.status == http.StatusTooManyRequests || r.status >= 500:
		msg := "The SSR service is temporarily unavailable. Please try again later."
		if r.retryAfter > 0 {
			msg = fmt.Sprintf("The SSR service is temporarily unavailable (%s). Please try again in %s.", r.status2code(), r.retryAfter)
		}
		return &driver.View{Outcome: driver.Unavailable, Message: msg}
	case r.status == http.StatusNotFound && r.code == "student_not_found":
		return &driver.View{Outcome: driver.NotFound, Message: "No score reports are available for this student at this LEA."}
	case r.status == http.StatusUnauthorized:
		return &driver.View{Outcome: driver.AuthError, Message: "The SSR service refused our access token."}
	}
	return &driver.View{Outcome: driver.Failed, Message: fmt.Sprintf("The SSR service refused the request (%s).", r.status2code())}
}

// status2code names an answer by its status and error code.
func (r *reply) status2code() string {
	if r.code != "" {
		return fmt.Sprintf("%d %s", r.status, r.code)
	}
	return fmt.Sprint(r.status)
}

// backOff remembers a Retry-After: no request through st before its time.
func (v *Vendor) backOff(st *leaState, r *reply) {
	if st == nil || r.retryAfter <= 0 || v.has(FaultRetryAfterPerView) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	base, wait := r.date, r.retryAfter
	switch {
	case v.has(FaultRetryAfterWallClock):
		base = time.Now()
	case base.IsZero():
		base = v.now
	}
	if v.has(FaultCapsRetryAfter) {
		wait = min(wait, time.Minute)
	}
	if until := base.Add(wait); until.After(st.quietUntil) {
		st.quietUntil = until
	}
}
