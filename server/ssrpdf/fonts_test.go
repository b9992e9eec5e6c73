package ssrpdf

import (
	"reflect"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

// labelStrings returns every string of a label table: fields, slices and map values.
func labelStrings(l *labels) []string {
	var out []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(l).Elem())
	return out
}

// TestFontsCoverLabels fails when a character of a label table is missing from the fonts its
// language is drawn with: run fonts/regen.sh after editing a table.
func TestFontsCoverLabels(t *testing.T) {
	r := mustRenderer(t)
	for _, lang := range Languages() {
		stack := stackFor(lang, r.faces)
		for _, bold := range []bool{false, true} {
			missing := map[rune]string{}
			for _, s := range labelStrings(languages[lang]) {
				for _, c := range s {
					if c == '\n' {
						continue
					}
					covered := false
					for _, f := range stack.faces(bold) {
						covered = covered || f.has(c)
					}
					if !covered {
						missing[c] = s
					}
				}
			}
			for c, s := range missing {
				t.Errorf("%s (bold %v): %q (U+%04X) of %q is in no font; run fonts/regen.sh", lang, bold, c, c, s)
			}
		}
	}
}

// TestLabelTablesComplete checks every label table against English: no empty field, the
// same number of next steps, a title and one description per level for every family, and
// an About line wherever English has one.
func TestLabelTablesComplete(t *testing.T) {
	en := reflect.ValueOf(english)
	for _, lang := range Languages() {
		l := languages[lang]
		v := reflect.ValueOf(*l)
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			name := v.Type().Field(i).Name
			if f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
			if f.Kind() == reflect.Slice && f.Len() != en.Field(i).Len() {
				t.Errorf("%s: %s has %d entries, English %d", lang, name, f.Len(), en.Field(i).Len())
			}
		}
		for fam, et := range english.Families {
			ft, ok := l.Families[fam]
			if !ok || ft.Title == "" || len(ft.Levels) != len(et.Levels) {
				t.Errorf("%s: family %s has title %q and %d level descriptions, want %d", lang, fam, ft.Title, len(ft.Levels), len(et.Levels))
			}
		}
		for k := range english.About {
			if l.About[k] == "" {
				t.Errorf("%s: no About line for %q", lang, k)
			}
		}
	}
}

// TestCatalogTranslated checks that every string the catalogs print is translated into every
// language of its scenario, and that every family has a description for each of its levels.
func TestCatalogTranslated(t *testing.T) {
	for _, name := range fixtures.Scenarios() {
		sc, err := fixtures.LookupScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, test := range sc.Tests() {
			strs := []string{test.Name, test.Subject}
			strs = append(strs, test.Levels...)
			strs = append(strs, test.Composites...)
			strs = append(strs, test.Indicators...)
			strs = append(strs, test.IndicatorLevels...)
			for _, lang := range scenarioLanguages(sc) {
				l := languages[lang]
				if l == nil {
					t.Errorf("%s: scenario language %q has no label table", name, lang)
					continue
				}
				fam, ok := l.Families[test.Family]
				if !ok {
					t.Errorf("%s %s: family %s unknown", name, lang, test.Family)
				} else if len(fam.Levels) != len(test.Levels) {
					t.Errorf("%s %s: family %s has %d level descriptions, test %s has %d levels", name, lang, test.Family, len(fam.Levels), test.ID, len(test.Levels))
				}
				if lang == fixtures.English {
					continue
				}
				for _, s := range strs {
					if l.term(s) == s {
						t.Errorf("%s %s: catalog string %q of test %s is not translated", name, lang, s, test.ID)
					}
				}
			}
			for _, s := range append(append([]string{}, test.Indicators...), test.Composites...) {
				if english.About[s] == "" {
					t.Errorf("%s: no About line for %q of test %s", name, s, test.ID)
				}
			}
		}
	}
}
