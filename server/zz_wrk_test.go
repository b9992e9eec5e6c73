package server

import (
	"fmt"
	"os/exec"
	"regexp"
	"testing"
)

func BenchmarkZZWrk(b *testing.B) {
	f := newBenchFixture(b)
	bl, bp := bare(200, f.listAnswer), bare(200, f.pdfAnswer)
	defer bl.Close()
	defer bp.Close()
	re := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	run := func(args ...string) string {
		out, err := exec.Command("wrk", append([]string{"-t2", "-c32", "-d4s"}, args...)...).CombinedOutput()
		if err != nil {
			b.Fatal(err, string(out))
		}
		m := re.FindStringSubmatch(string(out))
		if m == nil {
			b.Fatal(string(out))
		}
		return m[1]
	}
	auth := "Authorization: Bearer " + f.tok
	for i := 0; i < 5; i++ {
		ml := run("-H", auth, f.ts.URL+"/api/v1/students/"+f.ssid+"/reports")
		bls := run("-H", auth, bl.URL+"/api/v1/students/"+f.ssid+"/reports")
		mp := run(f.pdfURL)
		bps := run(bp.URL + "/x")
		fmt.Printf("list mock %s bare %s | pdf mock %s bare %s\n", ml, bls, mp, bps)
	}
}
