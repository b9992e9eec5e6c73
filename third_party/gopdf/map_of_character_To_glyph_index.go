package gopdf

// MapOfCharacterToGlyphIndex map of CharacterToGlyphIndex
type MapOfCharacterToGlyphIndex struct {
	keyIndexs map[rune]int //for search index in keys
	// ssrmock patch: a table for alphabetic scripts. Every drawn and measured rune was
	// looked up in keyIndexs several times; pages[k>>8][k&0xff] holds the index of k in Keys
	// plus one (0: absent) for 0 <= k < tabulatedRunes, keyIndexs only the other runes (CJK
	// among them, whose pages would be many and sparse).
	pages [tabulatedRunes >> 8]*[256]int32
	Keys  []rune
	Vals  []uint
}

// tabulatedRunes bounds the runes MapOfCharacterToGlyphIndex keeps in its table: up to the
// CJK blocks.
const tabulatedRunes = 0x3000

// NewMapOfCharacterToGlyphIndex new CharacterToGlyphIndex
func NewMapOfCharacterToGlyphIndex() *MapOfCharacterToGlyphIndex {
	var m MapOfCharacterToGlyphIndex
	m.keyIndexs = make(map[rune]int)
	return &m
}

// KeyExists key is exists?
func (m *MapOfCharacterToGlyphIndex) KeyExists(k rune) bool {
	/*for _, key := range m.Keys {
		if k == key {
			return true
		}
	}*/
	_, ok := m.Index(k)
	return ok
}

// Set set key and value to map
func (m *MapOfCharacterToGlyphIndex) Set(k rune, v uint) {
	if k >= 0 && k < tabulatedRunes {
		page := m.pages[k>>8]
		if page == nil {
			page = new([256]int32)
			m.pages[k>>8] = page
		}
		page[k&0xff] = int32(len(m.Keys) + 1)
	} else {
		m.keyIndexs[k] = len(m.Keys)
	}
	m.Keys = append(m.Keys, k)
	m.Vals = append(m.Vals, v)
}

// Index get index by key
func (m *MapOfCharacterToGlyphIndex) Index(k rune) (int, bool) {
	/*for i, key := range m.Keys {
		if k == key {
			return i, true
		}
	}*/
	if k >= 0 && k < tabulatedRunes {
		if page := m.pages[k>>8]; page != nil && page[k&0xff] != 0 {
			return int(page[k&0xff]) - 1, true
		}
		return -1, false
	}
	if index, ok := m.keyIndexs[k]; ok {
		return index, true
	}
	return -1, false
}

// Val get value by Key
func (m *MapOfCharacterToGlyphIndex) Val(k rune) (uint, bool) {
	i, ok := m.Index(k)
	if !ok {
		return 0, false
	}
	return m.Vals[i], true
}

// AllKeys get keys
func (m *MapOfCharacterToGlyphIndex) AllKeys() []rune {
	return m.Keys
}

// AllVals get all values
func (m *MapOfCharacterToGlyphIndex) AllVals() []uint {
	return m.Vals
}
