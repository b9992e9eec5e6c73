package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/store"
)

// appendListing appends to b the JSON body of a listing of ssid's released reports through
// holder's pair (an LEA's, or a school's own), in state st at its sandbox time now, with
// links after base. The body is what a json.Encoder with HTML escaping off writes for a
// reportList, newline included (TestListingIsEncodingJSON holds it to that), written
// directly: a listing is the vendor API's busiest answer, and building it as values to
// encode was the largest part of the mock's own work on it.
func (sb *Sandbox) appendListing(ctx context.Context, b []byte, st store.State, now time.Time, holder, ssid string, base []byte) ([]byte, error) {
	if !fixtures.ValidSSID(ssid) {
		return b, Errorf(CodeInvalidSSID, "an SSID is 10 digits; got %d characters", len(ssid))
	}
	v, ok := sb.student(ssid)
	if !ok {
		return b, notVisible(ssid)
	}
	sb.markSeen(ctx, ssid)
	lea, school := sb.holderScope(holder)
	if err := sb.schoolScope(st, v, lea, school, now); err != nil {
		return b, err
	}
	expires := now.Add(linkLifetime).Truncate(time.Second)
	if err := encodableTime(expires); err != nil {
		return b, err
	}
	start := len(b)
	b = append(b, `{"ssid":`...)
	b = appendJSONString(b, ssid)
	b = append(b, `,"reports":[`...)
	listed := 0
	for rep := range sb.reportsIn(st, v) {
		if !sb.visible(v, rep, lea, now) {
			continue
		}
		if err := encodableTime(rep.Released); err != nil {
			return b[:start], fmt.Errorf("report %s: %w", rep.ID, err)
		}
		for _, lang := range rep.Languages {
			for _, format := range reportFormats(sb.scenario) {
				if listed > 0 {
					b = append(b, ',')
				}
				b = sb.appendListingEntry(b, rep, lang, format, base, expires)
				listed++
			}
		}
	}
	if listed == 0 && v.leaAt(now) != lea {
		// Neither enrolled here nor tested here: the same answer as an unknown SSID, so that
		// existence does not leak.
		return b[:start], notVisible(ssid)
	}
	return append(b, "]}\n"...), nil
}

// appendListingEntry appends the JSON object of one format of one language of report rep,
// its link after base expiring at expires.
func (sb *Sandbox) appendListingEntry(b []byte, rep sandboxReport, lang fixtures.Language, format string, base []byte, expires time.Time) []byte {
	var idBuf [96]byte // room for any listing ID the world makes, so that it stays on the stack
	id := appendFormatListingID(idBuf[:0], rep, lang, format)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, id)
	b = append(b, `,"program":`...)
	b = appendJSONString(b, rep.Program)
	b = append(b, `,"assessment":`...)
	b = appendJSONString(b, rep.Family)
	b = append(b, `,"schoolYear":`...)
	b = appendJSONString(b, rep.Year.String())
	b = append(b, `,"language":`...)
	b = appendJSONString(b, lang)
	b = append(b, `,"format":`...)
	b = appendJSONString(b, format)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(rep.Version), 10)
	b = append(b, `,"releasedAt":`...)
	b = appendJSONTime(b, rep.Released)
	b = append(b, `,"url":"`...)
	url := len(b)
	b = appendSignedLink(b, sb, base, linkOf[[]byte]{sandbox: sb.ID, id: id, version: rep.Version, expires: expires})
	b = closeJSONString(b, url)
	b = append(b, `,"urlExpiresAt":`...)
	b = appendJSONTime(b, expires)
	return append(b, '}')
}

// encodableTime is an error for a time encoding/json cannot encode: one outside the years 0
// to 9999.
func encodableTime(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("time %v cannot be encoded", t)
	}
	return nil
}

func notVisible(ssid string) error {
	return Errorf(CodeStudentNotFound, "no student %s is enrolled in this LEA", ssid)
}
