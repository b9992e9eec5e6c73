package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

// rosterRow is one student as the roster prints it.
type rosterRow struct {
	SSID            string `json:"ssid"`
	FirstName       string `json:"firstName"`
	MiddleName      string `json:"middleName"`
	LastName        string `json:"lastName"`
	BirthDate       string `json:"birthDate"`
	Grade           string `json:"grade"`
	School          string `json:"school"`
	LEA             string `json:"lea"`
	PrimaryLanguage string `json:"primaryLanguage"`
	ELStatus        string `json:"elStatus"`
}

var rosterHeader = []string{"ssid", "first_name", "middle_name", "last_name", "birth_date", "grade", "school_cds", "lea_cds", "primary_language", "el_status"}

func (r rosterRow) record() []string {
	return []string{r.SSID, r.FirstName, r.MiddleName, r.LastName, r.BirthDate, r.Grade, r.School, r.LEA, r.PrimaryLanguage, r.ELStatus}
}

// runRoster streams a world's roster so that a vendor can load the same students into its SIS.
func runRoster(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("roster", stderr)
	seed := fs.Int64("seed", 1, "seed of the world")
	scenario := fs.String("scenario", "2018-19", "scenario: 2018-19 or 2025-26")
	scale := fs.String("scale", "county", "scale: tiny, county or state")
	format := fs.String("format", "csv", "output format: csv or json")
	lea := fs.String("lea", "", "only the students currently enrolled in this LEA (14-digit CDS code)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return usageError("--format must be csv or json, not %q", *format)
	}
	w, err := fixtures.New(*seed, *scenario, *scale)
	if err != nil {
		return usageError("%v", err)
	}
	first, count := 0, w.NumStudents()
	if *lea != "" {
		if _, ok := w.LEA(*lea); !ok {
			return usageError("--lea: no LEA %q in this world (see the control API's /leas, or omit --lea)", *lea)
		}
		first, count = w.LEAStudents(*lea)
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	emit, finish := rosterWriter(out, *format)
	for i := first; i < first+count; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		st, ok := w.Student(i)
		if !ok {
			continue
		}
		if err := emit(rowOf(st)); err != nil {
			return err
		}
	}
	if err := finish(); err != nil {
		return err
	}
	return out.Flush()
}

func rowOf(st fixtures.Student) rosterRow {
	cur := st.Enrollments[len(st.Enrollments)-1]
	return rosterRow{
		SSID: st.SSID, FirstName: st.FirstName, MiddleName: st.MiddleName, LastName: st.LastName,
		BirthDate: st.BirthDate.Format(time.DateOnly), Grade: st.Grade.String(),
		School: cur.School, LEA: cur.LEA, PrimaryLanguage: st.PrimaryLanguage, ELStatus: st.ELStatus,
	}
}

// rosterWriter returns a function writing one row and one closing the document.
func rosterWriter(out io.Writer, format string) (emit func(rosterRow) error, finish func() error) {
	if format == "json" {
		// A JSON array, one student per line, streamed.
		n := 0
		emit = func(r rosterRow) error {
			sep := ",\n"
			if n == 0 {
				sep = "[\n"
			}
			n++
			if _, err := io.WriteString(out, sep); err != nil {
				return err
			}
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			_, err = out.Write(b)
			return err
		}
		finish = func() error {
			if n == 0 {
				_, err := io.WriteString(out, "[]\n")
				return err
			}
			_, err := io.WriteString(out, "\n]\n")
			return err
		}
		return emit, finish
	}
	cw := csv.NewWriter(out)
	header := false
	writeHeader := func() error {
		if header {
			return nil
		}
		header = true
		return cw.Write(rosterHeader)
	}
	emit = func(r rosterRow) error {
		if err := writeHeader(); err != nil {
			return err
		}
		return cw.Write(r.record())
	}
	finish = func() error {
		if err := writeHeader(); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	return emit, finish
}
