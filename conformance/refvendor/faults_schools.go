package refvendor

// Deliberate faults of today's service: school pairs and report formats.
const (
	FaultDistrictPairForSchools = "district-pair-for-schools"
	FaultPDFOnly                = "pdf-only"
)

func init() {
	faults[FaultDistrictPairForSchools] = "keeps using the LEA's pair for the students of a school that has its own pair, which overrides the LEA's"
	faults[FaultPDFOnly] = "shows only the PDF of each report and drops the HTML the service also lists"
}
