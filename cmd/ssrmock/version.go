package main

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; empty means the module
// version from the binary's build information.
var version = ""

// currentVersion is this binary's version (see versionOf).
func currentVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

// versionOf names a build: the -ldflags version when one was given, else the main module's
// version from the build information ("v1.2.0" for `go install …@v1.2.0`). A build from a
// checkout has no module version ("(devel)"): the VCS revision, when the go command recorded
// one, is added, with "+dirty" for uncommitted changes, e.g. "(devel) 1f3c2a9b0d4e+dirty".
func versionOf(ldflag string, info *debug.BuildInfo) string {
	if ldflag != "" {
		return ldflag
	}
	if info == nil {
		return "(unknown)"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	out := []string{"(devel)"}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified == "true" {
			rev += "+dirty"
		}
		out = append(out, rev)
	}
	return strings.Join(out, " ")
}
