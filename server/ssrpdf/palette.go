package ssrpdf

// The report's colours.
var (
	navy      = rgb{23, 55, 94}
	navyLight = rgb{198, 213, 234}
	gold      = rgb{242, 183, 75}
	ink       = rgb{33, 37, 41}
	muted     = rgb{96, 104, 116}
	faint     = rgb{160, 166, 175}
	panel     = rgb{240, 244, 250}
	bar       = rgb{226, 233, 243}
	rule      = rgb{210, 215, 222}
	cellOff   = rgb{236, 238, 242}
	white     = rgb{255, 255, 255}

	red   = rgb{196, 78, 58}
	amber = rgb{240, 172, 60}
	green = rgb{86, 160, 104}
	blue  = rgb{40, 108, 168}
)

// levelColor returns the fill of level (1-based) on a scale of n levels, lowest red and
// highest blue.
func levelColor(level, n int) rgb {
	var p []rgb
	switch n {
	case 1:
		p = []rgb{blue}
	case 2:
		p = []rgb{amber, blue}
	case 3:
		p = []rgb{red, amber, blue}
	default:
		p = []rgb{red, amber, green, blue}
	}
	i := level - 1
	if n > len(p) {
		i = i * (len(p) - 1) / (n - 1)
	}
	if i < 0 {
		i = 0
	}
	if i >= len(p) {
		i = len(p) - 1
	}
	return p[i]
}

// onColor returns the text colour that reads on fill.
func onColor(fill rgb) rgb {
	if fill == amber {
		return ink
	}
	return white
}
