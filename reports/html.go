package reports

func WriteHTMLFile(path string, run *Run, figs []Figure) error { return nil }
