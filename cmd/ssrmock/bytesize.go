package main

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag value for an amount of memory: a count of bytes with an optional unit,
// KiB, MiB or GiB (powers of 1024) or kB, MB or GB (powers of 1000), as in "64MiB".
type byteSize int64

// byteUnits are the units byteSize reads, longest first so that "MiB" is not read as "B".
var byteUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
	{"B", 1},
}

// Set parses s.
func (b *byteSize) Set(s string) error {
	num, factor := strings.TrimSpace(s), int64(1)
	for _, u := range byteUnits {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<50)/factor {
		return fmt.Errorf("%q is not a size: write a positive whole number of bytes, optionally with KiB, MiB, GiB, kB, MB or GB, as in 64MiB", s)
	}
	*b = byteSize(n * factor)
	return nil
}

// String writes the size in the largest binary unit that divides it.
func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		suffix string
		factor int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
