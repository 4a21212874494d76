package scenarios

import "embed"

// embeddedTraces are the shipped trace samples, so embedded examples can
// replay them with no file on disk. Paths start with "traces/".
//
//go:embed traces
var embeddedTraces embed.FS
