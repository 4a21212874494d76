package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
)

// formats maps a file extension to viper's config type.
var formats = map[string]string{".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}

// Load reads and checks the scenario file at path. Mistakes in the file
// are returned as Problems (errors.As); an I/O error is returned as is,
// naming the file.
func Load(path string) (*Scenario, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load that stops reading a trace file when ctx is done
// (Ctrl-C), returning ctx's error.
func LoadContext(ctx context.Context, path string) (*Scenario, error) {
	doc, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return doc.DecodeContext(ctx)
}

// readFile reads the scenario file at path without checking it: a regular
// file of at most MaxScenarioBytes (a FIFO, a device or a directory is
// refused before it is opened).
func readFile(path string) (*Document, error) {
	ext := strings.ToLower(filepath.Ext(path))
	typ, ok := formats[ext]
	if !ok {
		return nil, Problems{{File: path, Msg: fmt.Sprintf("unsupported file type %q; want .yaml, .yml, .toml or .json", truncate(ext))}}
	}
	b, err := readRegular(path, MaxScenarioBytes)
	if err != nil {
		return nil, err // Problems, or an I/O error that names the file
	}
	return readBytes(path, typ, b)
}

// Open loads nameOrPath if it is a file, else the embedded example of that
// name (with or without .yaml).
func Open(nameOrPath string) (*Scenario, error) { return OpenWith(nameOrPath) }

// OpenWith is Open with overrides applied to the file's keys before they
// are checked (the --set of the command line).
func OpenWith(nameOrPath string, ovs ...Override) (*Scenario, error) {
	return OpenContext(context.Background(), nameOrPath, ovs...)
}

// OpenContext is OpenWith that stops reading a trace file when ctx is done
// (Ctrl-C), returning ctx's error.
func OpenContext(ctx context.Context, nameOrPath string, ovs ...Override) (*Scenario, error) {
	doc, err := ReadDocument(nameOrPath)
	if err != nil {
		return nil, err
	}
	return doc.DecodeContext(ctx, ovs...)
}

// Document is a scenario file read but not yet checked: what overrides
// apply to. One Document decodes any number of times, with different
// overrides each time (the points of a sweep), without being changed.
type Document struct {
	File string // the path, or "embedded:NAME"
	raw  map[string]any
	typ  string                 // yaml | toml | json
	text func() ([]byte, error) // the file's bytes (KeyOrder reads them)
	// traces are the checked traces of earlier decodes: the points of a
	// sweep read and check a trace file once.
	traces *traceCache
}

// ReadDocument reads nameOrPath if it is a file, else the embedded example
// of that name (with or without .yaml), without checking it beyond its
// syntax.
func ReadDocument(nameOrPath string) (*Document, error) {
	if _, err := os.Stat(nameOrPath); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return readFile(nameOrPath) // a directory or a FIFO is refused there, by name
	}
	name := strings.TrimSuffix(nameOrPath, ".yaml")
	if alias, ok := exampleAliases[name]; ok {
		name = alias
	}
	b, err := examples.ReadFile(name + ".yaml")
	if err != nil {
		return nil, Problems{{File: truncate(nameOrPath), Msg: fmt.Sprintf("no such file, and no example of that name (examples: %s)",
			strings.Join(Examples(), ", "))}}
	}
	return readBytes("embedded:"+name, "yaml", b)
}

// Raw is a copy of the document's keys (lowercased), as decoded from the
// file: maps, lists and scalars.
func (d *Document) Raw() map[string]any { return deepCopy(d.raw).(map[string]any) }

// Decode applies the overrides in order (a later one wins) and checks the
// result exactly as a file that said so. A problem at or inside a key an
// override set names the override ("(from --set workload.rate=-1)").
func (d *Document) Decode(ovs ...Override) (*Scenario, error) {
	return d.DecodeContext(context.Background(), ovs...)
}

// DecodeContext is Decode that stops reading a trace file when ctx is
// done, returning ctx's error.
func (d *Document) DecodeContext(ctx context.Context, ovs ...Override) (*Scenario, error) {
	raw, done, probs := applyOverrides(d.File, d.raw, ovs)
	s, err := decode(ctx, d.File, raw, d.traces)
	var dp Problems
	if errors.As(err, &dp) {
		return nil, capProblems(append(probs, attribute(dp, done)...))
	}
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 { // an override that led nowhere
		return nil, probs
	}
	s.Overrides = ovs
	return s, nil
}

// Examples lists the embedded example scenarios by name, sorted.
func Examples() []string {
	files, _ := fs.Glob(examples, "*.yaml")
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, ".yaml")
	}
	sort.Strings(names)
	return names
}

// readBytes reads a scenario document of type typ (yaml, toml or json):
// its shape is checked first in the format's own parser (checkDocument:
// depth, size, keys that collide), then viper reads it.
func readBytes(file, typ string, b []byte) (*Document, error) {
	if len(b) > MaxScenarioBytes {
		return nil, Problems{{File: file, Msg: fmt.Sprintf("larger than %d MB; a scenario is a few KB (put large data in a trace file)", MaxScenarioBytes>>20)}}
	}
	if probs := checkDocument(file, typ, b); len(probs) > 0 {
		return nil, capProblems(probs)
	}
	v := newViper()
	v.SetConfigType(typ)
	if err := v.ReadConfig(bytes.NewReader(b)); err != nil {
		return nil, capProblems(syntaxProblems(file, typ, b, err))
	}
	raw, ok := normalize(v.AllSettings()).(map[string]any)
	if !ok {
		return nil, Problems{{File: file, Msg: "want a map of keys at the top (name, duration, workload, systems)"}}
	}
	return &Document{File: file, raw: raw, typ: typ, text: func() ([]byte, error) { return b, nil }, traces: newTraceCache()}, nil
}

// maxProblems is the most problems reported for one file: a generated file
// with 100,000 unknown keys gets the first ones and a count.
const maxProblems = 100

// capProblems keeps the first maxProblems, each message at most 4 KB.
func capProblems(ps Problems) Problems {
	n := len(ps)
	if n > maxProblems {
		ps = append(ps[:maxProblems:maxProblems], Problem{File: ps[0].File, Msg: fmt.Sprintf("... and %d more problems", n-maxProblems)})
	}
	for i := range ps {
		if len(ps[i].Msg) > 4000 {
			ps[i].Msg = truncate2(ps[i].Msg, 4000)
		}
	}
	return ps
}

// newViper does not split keys at dots, so a percentile key like "99.9"
// stays one key.
func newViper() *viper.Viper {
	return viper.NewWithOptions(viper.KeyDelimiter("::"))
}

var yamlLine = regexp.MustCompile(`^\s*line (\d+): (.*)$`)

// syntaxProblems turns a parser error into problems at "line N" where the
// parser says the line.
func syntaxProblems(file, typ string, src []byte, err error) Problems {
	var parse viper.ConfigParseError
	if errors.As(err, &parse) {
		err = parse.Unwrap()
	}
	msg := err.Error()
	var probs Problems
	add := func(line int, m string) {
		path := ""
		if line > 0 {
			path = "line " + strconv.Itoa(line)
		}
		probs = append(probs, Problem{File: file, Path: path, Msg: typ + " syntax: " + m})
	}
	switch typ {
	case "yaml":
		// "yaml: line 3: did not find ..." or
		// "yaml: unmarshal errors:\n  line 2: mapping key ... \n  line 5: ..."
		msg = strings.TrimPrefix(msg, "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
		for _, l := range strings.Split(msg, "\n") {
			if m := yamlLine.FindStringSubmatch(l); m != nil {
				n, _ := strconv.Atoi(m[1])
				add(n, m[2])
			} else if strings.TrimSpace(l) != "" {
				add(0, strings.TrimSpace(l))
			}
		}
	case "toml":
		var pos interface{ Position() (int, int) } // *toml.DecodeError
		line := 0
		if errors.As(err, &pos) {
			line, _ = pos.Position()
		}
		add(line, strings.TrimPrefix(msg, "toml: "))
	case "json":
		var se *json.SyntaxError
		line := 0
		if errors.As(err, &se) {
			if se.Offset <= int64(len(src)) {
				line = 1 + bytes.Count(src[:se.Offset], []byte("\n"))
			}
		}
		add(line, msg)
	default:
		add(0, msg)
	}
	return probs
}
