package ssrpdf

// Every report embeds the subsets of its fonts that it draws with, and a Renderer keeps each
// compressed subset for the next report that uses the same glyphs (Renderer.fontStreams).
// Left to itself the Latin subset changes with the letters of every name, school and
// identifier, so that most reports would compress their own; instead every report's Latin
// subsets also hold all letters and digits of ASCII, and the reports of one language share a
// few subsets per face. In a county office's 451 reports (BenchmarkBulkLEA) that made 49
// distinct subsets instead of 332, for 5% more bytes per PDF. The CJK subsets are left to
// what the report draws: their glyphs are many and vary less.

// baseRunes are the runes every report embeds in its Latin subsets.
const baseRunes = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// baseGlyphs are the runes every report embeds in the subset of one face.
type baseGlyphs struct {
	family string
	runes  string
}

// latinBase returns, for the Latin faces (regular, then bold), the runes of baseRunes the
// face covers.
func latinBase(faces map[string]*face) []baseGlyphs {
	var out []baseGlyphs
	for _, family := range []string{latinRegular, latinBold} {
		var covered []rune
		for _, c := range baseRunes {
			if faces[family].has(c) {
				covered = append(covered, c)
			}
		}
		out = append(out, baseGlyphs{family, string(covered)})
	}
	return out
}
