package conformance

import (
	"encoding/xml"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// junitSuiteName names the one <testsuite> of junit.xml; junitPackage is its package and, with
// the area, each test case's class name ("ssrmock.conformance.links").
const (
	junitSuiteName = "ssrmock conformance"
	junitPackage   = "ssrmock.conformance"
)

// junitReport turns a summary into JUnit XML: one <testcase> per spec and nothing else (no
// suite set-up nodes), so that tests, failures and skipped agree with summary.txt. A spec the
// harness could not judge is an <error>; every other failed spec, recommended or known-failing
// ones included, is a <failure> whose type says which. The run details are <properties>.
func junitReport(s *Summary) reporters.JUnitTestSuites {
	suite := reporters.JUnitTestSuite{
		Name:      s.title(),
		Package:   junitPackage,
		Tests:     len(s.Results),
		Time:      s.Seconds,
		Timestamp: s.Run.StartedAt.In(pacific.Location).Format(time.RFC3339),
		Properties: reporters.JUnitProperties{Properties: []reporters.JUnitProperty{
			{Name: "ssrmock.version", Value: s.Run.SsrmockVersion},
			{Name: "ssrmock.specListSha256", Value: s.Run.SpecListSHA256},
			{Name: "ssrmock.seed", Value: strconv.FormatInt(s.Run.Seed, 10)},
			{Name: "ssrmock.labelFilter", Value: s.Run.LabelFilter},
			{Name: "driver.name", Value: s.Run.Driver.Name},
			{Name: "driver.version", Value: s.Run.Driver.Version},
			{Name: "server.url", Value: s.Run.ServerURL},
			{Name: "startedAt", Value: s.Run.StartedAt.In(pacific.Location).Format(time.RFC3339Nano)},
			{Name: "finishedAt", Value: s.Run.FinishedAt.In(pacific.Location).Format(time.RFC3339Nano)},
			{Name: "passed", Value: strconv.FormatBool(s.Passed)},
		}},
	}
	for _, res := range s.Results {
		tc := reporters.JUnitTestCase{
			Name:      "[" + res.ID + "] " + res.Rule + " [" + string(res.Level) + ", " + res.Area + "]",
			Classname: junitPackage + "." + res.Area,
			Status:    res.State,
			Time:      res.Seconds,
		}
		switch res.State {
		case "skipped":
			suite.Skipped++
			tc.Skipped = &reporters.JUnitSkipped{Message: "skipped: the spec does not apply to this driver or was filtered out"}
		case "failed":
			text := res.Failure
			if res.Location != "" {
				text += "\n\nat " + res.Location
			}
			if msg, ok := strings.CutPrefix(res.Failure, harnessMark); ok {
				suite.Errors++
				tc.Error = &reporters.JUnitError{Type: "harness", Message: firstLine(msg), Description: text}
				break
			}
			suite.Failures++
			kind := string(res.Level)
			if res.KnownFailing {
				kind = "known-failing"
			}
			tc.Failure = &reporters.JUnitFailure{Type: kind, Message: firstLine(res.Failure), Description: text}
		}
		suite.TestCases = append(suite.TestCases, tc)
	}
	return reporters.JUnitTestSuites{
		Tests: suite.Tests, Errors: suite.Errors, Failures: suite.Failures, Time: suite.Time,
		TestSuites: []reporters.JUnitTestSuite{suite},
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// writeJUnit writes the summary as JUnit XML to path.
func writeJUnit(path string, s *Summary) error {
	data, err := xml.MarshalIndent(junitReport(s), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(data, '\n')...), 0o644)
}
