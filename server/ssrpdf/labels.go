package ssrpdf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ssrmock/ssrmock/fixtures"
)

// labels holds every fixed word printed on a report in one language. Catalog strings (test
// names, subjects, levels, areas) arrive in English from fixtures and are translated through
// terms; proper nouns (people, schools, LEAs) are printed as they are.
type labels struct {
	// DateLayout formats the date of birth.
	DateLayout string

	ReportTitle   string
	ProgramCAASPP string
	ProgramELPAC  string

	Student      string
	Grade        string
	Kindergarten string
	School       string
	LEA          string
	SchoolYear   string
	BirthDate    string
	SSID         string
	ReportID     string

	ScaleScore    string
	LevelN        string // fmt verb %d: the level number
	Overall       string
	WhatThisMeans string
	Levels        string
	NextSteps     string
	Areas         string
	Domains       string
	Composites    string
	History       string // the Score History's heading
	Subject       string // its column of tests
	Level         string // its column of levels
	// CombinedTitle is the title of the one Smarter Balanced and CAST report of grades 5, 8
	// and 11.
	CombinedTitle string
	Amended       string
	PageOf        string // fmt verbs %d, %d: page, pages
	Disclaimer    string

	Greeting    string
	IntroCAASPP string // fmt verbs %[1]s: report title, %[2]s: school year
	IntroELPAC  string // same verbs as IntroCAASPP
	AreasNote   string
	DomainsNote string
	HistoryNote string
	NextCAASPP  []string
	NextELPAC   []string

	// Families gives each report family its title and one description per performance
	// level, lowest first.
	Families map[fixtures.Family]familyText
	// Terms translates the catalog's English strings; nil for English.
	Terms map[string]string
	// About says in one line what an area, domain or composite measures, by its English name.
	About map[string]string
}

// familyText is the fixed text of one report family.
type familyText struct {
	Title  string
	Levels []string
}

// languages lists the label tables by language.
var languages = map[fixtures.Language]*labels{
	fixtures.English:    &english,
	fixtures.Spanish:    &spanish,
	fixtures.Vietnamese: &vietnamese,
	fixtures.Chinese:    &chinese,
	fixtures.Filipino:   &filipino,
	fixtures.Korean:     &korean,
}

// Languages returns the languages a Renderer prints, in a fixed order.
func Languages() []fixtures.Language {
	return []fixtures.Language{fixtures.English, fixtures.Spanish, fixtures.Vietnamese,
		fixtures.Chinese, fixtures.Filipino, fixtures.Korean}
}

// term translates one catalog string, falling back to the English original. "Level n" is
// printed with LevelN.
func (l *labels) term(s string) string {
	if t, ok := l.Terms[s]; ok {
		return t
	}
	if n, ok := strings.CutPrefix(s, "Level "); ok {
		if i, err := strconv.Atoi(n); err == nil {
			return fmt.Sprintf(l.LevelN, i)
		}
	}
	return s
}

// program returns the full name of a testing program.
func (l *labels) program(p fixtures.Program) string {
	if p == fixtures.ELPAC {
		return l.ProgramELPAC
	}
	return l.ProgramCAASPP
}

// grade returns a grade as printed: "K" becomes the word for kindergarten.
func (l *labels) grade(g fixtures.Grade) string {
	if g == fixtures.Kindergarten {
		return l.Kindergarten
	}
	return g.String()
}
