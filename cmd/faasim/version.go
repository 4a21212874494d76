package main

import (
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/faasim/faasim/reports"
)

// version is faasim's version with the Go release that built it, as
// `faasim version` and `faasim --version` print it: reports.Version (set
// by -ldflags for a release), else the module version `go install
// ...@vX.Y.Z` records, else the default with the VCS revision the build
// info carries ("0.1.0-dev+3f2a9c1b7d4e.dirty"). The same string goes into
// every report, so results name the build that made them.
func version() string {
	setVersion.Do(func() {
		if bi, ok := debug.ReadBuildInfo(); ok {
			reports.Version = fromBuildInfo(reports.Version, bi)
		}
	})
	return reports.Version + " (" + runtime.Version() + ")"
}

var setVersion sync.Once

// defaultVersion is reports.Version when no release set it.
const defaultVersion = "0.1.0-dev"

// fromBuildInfo refines v from the build info.
func fromBuildInfo(v string, bi *debug.BuildInfo) string {
	if v != defaultVersion {
		return v // a release build's -ldflags
	}
	if m := bi.Main.Version; m != "" && m != "(devel)" {
		return m
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v += "+" + rev
	if dirty {
		v += ".dirty"
	}
	return v
}
