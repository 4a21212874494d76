package scenarios

import "embed"

// examples are the scenario files shipped with faasim, so `faasim run NAME`
// works with no path.
//
//go:embed *.yaml
var examples embed.FS
