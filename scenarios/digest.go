package scenarios

// Text is the scenario file's bytes as read (an embedded example's as
// embedded): what a shard of its sweep records the SHA-256 of.
func (d *Document) Text() ([]byte, error) { return d.text() }
