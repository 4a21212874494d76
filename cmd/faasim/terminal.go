package main

import (
	"io"
	"os"
)

// isTerminal reports whether w is a terminal (colours only there, never in
// files, pipes or tests).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
