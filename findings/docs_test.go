package findings

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRulesDocumented checks that docs/findings.md states every rule the findings enforce,
// with its severity, threshold and fix exactly as the rules have them, and no other.
func TestRulesDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/findings.md")
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Severity, Threshold, OurChoice, Fix string }
	var got []row
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 5 {
			t.Errorf("table row %q has %d cells, want 5", line, len(cells))
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		got = append(got, row{strings.Trim(cells[0], "`"), cells[1], cells[2], cells[3], cells[4]})
	}
	var want []row
	for _, r := range Rules {
		choice := "no"
		if r.OurThreshold {
			choice = "yes"
		}
		want = append(want, row{r.ID, string(r.Severity), r.Threshold, choice, r.Fix})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("docs/findings.md's table differs from the rules (-rules +docs):\n%s", diff)
	}
}

// TestThresholdsInWords checks that the thresholds' words say the numbers the rules use.
func TestThresholdsInWords(t *testing.T) {
	for _, c := range []struct {
		rule Rule
		want []string
	}{
		{RuleRejectedPair, []string{"more than 1 "}},
		{RuleRetryLoop, []string{"more than 10 ", "10 seconds"}},
		{RuleDeadToken, []string{"more than 1 "}},
		{RuleReuseToken, []string{"2 tokens", "15 minutes", "30-minute"}},
		{RuleRetryAfter429, []string{"more than 1 "}},
		{RuleServerErrors, []string{"more than 10 ", "5 seconds"}},
		{RuleSlowResponse, []string{"4 seconds"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.rule.Threshold, w) {
				t.Errorf("%s: threshold %q does not say %q", c.rule.ID, c.rule.Threshold, w)
			}
		}
	}
	if ResendsAllowed != 1 || LoopCount != 10 || LoopWindow.Seconds() != 10 || DeadTokenSendsAllowed != 1 ||
		UnneededTokens != 2 || TokenLifetime.Minutes() != 30 || RetryAfterAllowed != 1 ||
		ServerErrorRun != 10 || ServerErrorWindow.Seconds() != 5 || SlowAnswer.Seconds() != 4 {
		t.Error("a threshold constant changed: update its rule's Threshold, docs/findings.md and this test")
	}
}
