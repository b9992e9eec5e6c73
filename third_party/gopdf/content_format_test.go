package gopdf

import (
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"testing"
)

// ssrmock patch: content streams formatted with strconv (content_format.go). Run with
// `go test .` in this directory; the root module's `go test ./...` does not reach it.

// TestAppendFixedMatchesFmt compares appendFixed with fmt's %.2f and %.3f on special values,
// exact and near ties at two decimals, and random values in and beyond the fast path's range.
func TestAppendFixedMatchesFmt(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.125, 0.375, 2.675, 1.005,
		999999.995, 1e6, -1e6, 1e21, math.Inf(1), math.Inf(-1), math.NaN(), 123.455, 0.045}
	r := rand.New(rand.NewSource(16))
	for i := 0; i < 200000; i++ {
		switch i % 5 {
		case 0:
			vals = append(vals, (r.Float64()-0.5)*2000)
		case 1:
			vals = append(vals, float64(r.Intn(2000000)-1000000)/200)
		case 2:
			vals = append(vals, float64(r.Intn(8000000))/8)
		case 3:
			vals = append(vals, math.Nextafter(float64(r.Intn(200000))/200, math.Inf(1-2*r.Intn(2))))
		case 4:
			vals = append(vals, (r.Float64()-0.5)*2e7)
		}
	}
	for _, v := range vals {
		for _, prec := range []int{2, 3} {
			want := fmt.Sprintf("%0."+strconv.Itoa(prec)+"f", v)
			if got := string(appendFixed(nil, v, prec)); got != want {
				t.Errorf("appendFixed(%v, %d) = %q, want %q", v, prec, got, want)
			}
		}
	}
	for c := 0; c < 256; c++ {
		want := fmt.Sprintf("%.3f", float64(uint8(c))/255)
		if got := string(appendColorComponent(nil, uint8(c))); got != want {
			t.Errorf("appendColorComponent(%d) = %q, want %q", c, got, want)
		}
	}
	for _, g := range []uint{0, 1, 0xAB, 0xFFFF, 0x10000, 0x1ABCD} {
		want := fmt.Sprintf("%04X", g)
		if got := string(appendGlyphHex(nil, g)); got != want {
			t.Errorf("appendGlyphHex(%d) = %q, want %q", g, got, want)
		}
	}
	if got, want := string(appendFloatTrim(nil, 9.5)), FormatFloatTrim(9.5); got != want {
		t.Errorf("appendFloatTrim(9.5) = %q, want %q", got, want)
	}
}
