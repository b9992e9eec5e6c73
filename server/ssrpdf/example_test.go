package ssrpdf_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
)

// A Renderer is made once and prints any number of reports, from any goroutine.
func ExampleRenderer_Render() {
	r, err := ssrpdf.NewRenderer()
	if err != nil {
		panic(err)
	}
	sc, err := fixtures.LookupScenario("2018-19")
	if err != nil {
		panic(err)
	}
	cast, _ := sc.Test(fixtures.CAST)
	report := fixtures.Report{
		ID: "1234567890-2019-cast", SSID: "1234567890", Year: 2019,
		Family: fixtures.FamilyCAST, Program: fixtures.CAASPP, Grade: 5,
		Released: time.Date(2019, time.November, 20, 16, 0, 0, 0, time.UTC),
		Results: []fixtures.Result{{
			Test: fixtures.CAST, Year: 2019, Grade: 5, ScaleScore: 220, Level: 3,
			Indicators: []fixtures.Indicator{
				{Name: "Life Sciences", Level: 2},
				{Name: "Physical Sciences", Level: 3},
				{Name: "Earth and Space Sciences", Level: 2},
			},
		}},
	}
	pdf, err := r.Render(ssrpdf.Document{
		Report:   report,
		Student:  fixtures.Student{SSID: "1234567890", FirstName: "Ana", LastName: "Reyes"},
		School:   fixtures.School{Name: "Lincoln Elementary"},
		LEA:      fixtures.LEA{Name: "Oak Valley Unified"},
		Tests:    []fixtures.Test{cast},
		Language: fixtures.Spanish,
		Version:  1,
		ReportID: report.ID,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(pdf, []byte("%PDF-")))
	// Output: true
}
