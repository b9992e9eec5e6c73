package ssrpdf

import "github.com/ssrmock/ssrmock/fixtures"

var english = labels{
	DateLayout: "01/02/2006",

	ReportTitle:   "Student Score Report",
	ProgramCAASPP: "California Assessment of Student Performance and Progress",
	ProgramELPAC:  "English Language Proficiency Assessments for California",

	Student:      "Student",
	Grade:        "Grade",
	Kindergarten: "Kindergarten",
	School:       "School",
	LEA:          "District",
	SchoolYear:   "School year",
	BirthDate:    "Date of birth",
	SSID:         "Statewide Student Identifier (SSID)",
	ReportID:     "Report ID",

	ScaleScore:    "Scale score",
	LevelN:        "Level %d",
	Overall:       "Overall score",
	WhatThisMeans: "What this means",
	Levels:        "What the levels mean",
	NextSteps:     "Next steps",
	Areas:         "Results by area",
	Domains:       "Results by domain",
	Composites:    "Composite scores",
	History:       "Score history",
	Subject:       "Test",
	Level:         "Level",
	CombinedTitle: "Smarter Balanced Summative Assessments and California Science Test",
	Amended:       "Amended report",
	PageOf:        "Page %d of %d",
	Disclaimer:    "Sample report with synthetic data, for testing only.",

	Greeting:    "Dear Parent or Guardian,",
	IntroCAASPP: "This report shows your child's results on the %[1]s in the %[2]s school year. Test results are one measure of your child's progress; look at them together with report cards, classroom work and what your child's teachers tell you.",
	IntroELPAC:  "This report shows your child's results on the %[1]s in the %[2]s school year. The ELPAC measures how well students listen, speak, read and write in English, so that schools can give them the support they need.",
	AreasNote:   "Area results show how your child performed in each area of the test.",
	DomainsNote: "Domain results show how developed your child's English skills are in each of the four language domains.",
	HistoryNote: "Your child's results on these tests in this school year and earlier ones.",
	NextCAASPP: []string{
		"Talk with your child's teacher about these results and how you can support learning at home.",
		"Compare these results with report cards and classroom work to see your child's progress over time.",
		"Find practice tests and family guides on the Starting Smarter website (startingsmarter.org).",
	},
	NextELPAC: []string{
		"Talk with your child's teacher about these results and the English language support your child receives.",
		"Encourage your child to read, talk and write every day, in English and in your home language.",
		"Ask the school how English learners are reclassified as fluent English proficient.",
	},

	Families: map[fixtures.Family]familyText{
		fixtures.FamilySmarterBalanced: {"Smarter Balanced Summative Assessments", []string{
			"Your child has not met the achievement standard and needs substantial improvement to show the knowledge and skills needed for success in future coursework.",
			"Your child has nearly met the achievement standard and may need further development to show the knowledge and skills needed for success in future coursework.",
			"Your child has met the achievement standard and shows progress toward mastery of the knowledge and skills needed for success in future coursework.",
			"Your child has exceeded the achievement standard and shows advanced progress toward mastery of the knowledge and skills needed for success in future coursework.",
		}},
		fixtures.FamilyCAA: {"California Alternate Assessments", []string{
			"Your child shows a limited understanding of the knowledge and skills in the alternate achievement standards for this subject.",
			"Your child shows a foundational understanding of the knowledge and skills in the alternate achievement standards for this subject.",
			"Your child shows an understanding of the knowledge and skills in the alternate achievement standards for this subject.",
		}},
		fixtures.FamilyCAST: {"California Science Test", []string{
			"Your child has not met the achievement standard in science and needs substantial improvement to show the knowledge and skills expected for the grade.",
			"Your child has nearly met the achievement standard in science and may need further development to show the knowledge and skills expected for the grade.",
			"Your child has met the achievement standard in science and shows an adequate understanding of the knowledge and skills expected for the grade.",
			"Your child has exceeded the achievement standard in science and shows a thorough understanding of the knowledge and skills expected for the grade.",
		}},
		fixtures.FamilyCSA: {"California Spanish Assessment", []string{
			"Your child is beginning to show the Spanish listening, reading, writing and language skills expected for the grade.",
			"Your child is developing the Spanish listening, reading, writing and language skills expected for the grade.",
			"Your child shows the Spanish listening, reading, writing and language skills expected for the grade.",
		}},
		fixtures.FamilySummativeELPAC: {"Summative ELPAC", []string{
			"Your child has minimally developed English skills and can use English only in very limited ways, with substantial support.",
			"Your child has somewhat developed English skills and can use English to meet immediate communication needs.",
			"Your child has moderately developed English skills and can use English to learn and communicate about familiar topics.",
			"Your child has well developed English skills and can use English to learn and communicate in meaningful ways across subjects.",
		}},
		fixtures.FamilyInitialELPAC: {"Initial ELPAC", []string{
			"Your child is a novice English learner and will receive substantial support to develop English skills while learning in all subjects.",
			"Your child is an intermediate English learner and will receive support to continue developing English skills while learning in all subjects.",
			"Your child has well developed English skills and is initially fluent English proficient; no English language development services are needed.",
		}},
		fixtures.FamilyAlternateELPAC: {"Summative Alternate ELPAC", []string{
			"Your child is beginning to understand and use English, with substantial support, to communicate about familiar people, objects and routines.",
			"Your child understands and uses English, with some support, to communicate about familiar topics and everyday activities.",
			"Your child understands and uses English, with little support, to communicate about familiar and some new topics.",
		}},
	},

	About: map[string]string{
		"Oral Literacy":           "Combines Listening and Speaking.",
		"Written Literacy":        "Combines Reading and Writing.",
		"Reading":                 "Reading and understanding stories and informational texts.",
		"Writing":                 "Writing clearly and organizing ideas for different purposes.",
		"Listening":               "Understanding what is said in conversations and presentations.",
		"Speaking":                "Speaking clearly to share ideas and information.",
		"Research/Inquiry":        "Finding, judging and presenting information about a topic.",
		"Concepts and Procedures": "Applying mathematical concepts and procedures accurately.",
		"Problem Solving and Modeling & Data Analysis": "Using mathematics and data to solve problems in real-world situations.",
		"Communicating Reasoning":                      "Explaining mathematical thinking and judging the reasoning of others.",
		"Life Sciences":                                "Living things, their structures and how they interact with their environment.",
		"Physical Sciences":                            "Matter, motion, forces and energy.",
		"Earth and Space Sciences":                     "The Earth, its systems and its place in the universe.",
		"Oral Language":                                "Combines Listening and Speaking.",
		"Written Language":                             "Combines Reading and Writing.",
	},
}
