package scenarios

import (
	"bytes"
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
func Load(path string) (*Scenario, error) {
	doc, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return doc.Decode()
}

// readFile reads the scenario file at path without checking it.
func readFile(path string) (*Document, error) {
	ext := strings.ToLower(filepath.Ext(path))
	typ, ok := formats[ext]
	if !ok {
		return nil, Problems{{File: path, Msg: fmt.Sprintf("unsupported file type %q; want .yaml, .yml, .toml or .json", ext)}}
	}
	v := newViper()
	v.SetConfigFile(path)
	v.SetConfigType(typ) // also for upper-case extensions, which viper would not recognise
	if err := v.ReadInConfig(); err != nil {
		var parse viper.ConfigParseError
		if errors.As(err, &parse) {
			return nil, syntaxProblems(path, typ, err)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, err // names the file already
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Document{File: path, raw: normalize(v.AllSettings()).(map[string]any), typ: typ,
		text: func() ([]byte, error) { return os.ReadFile(path) }, traces: newTraceCache()}, nil
}

// Open loads nameOrPath if it is a file, else the embedded example of that
// name (with or without .yaml).
func Open(nameOrPath string) (*Scenario, error) { return OpenWith(nameOrPath) }

// OpenWith is Open with overrides applied to the file's keys before they
// are checked (the --set of the command line).
func OpenWith(nameOrPath string, ovs ...Override) (*Scenario, error) {
	doc, err := ReadDocument(nameOrPath)
	if err != nil {
		return nil, err
	}
	return doc.Decode(ovs...)
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
	if st, err := os.Stat(nameOrPath); err == nil && !st.IsDir() || err != nil && !errors.Is(err, fs.ErrNotExist) {
		return readFile(nameOrPath)
	}
	name := strings.TrimSuffix(nameOrPath, ".yaml")
	if alias, ok := exampleAliases[name]; ok {
		name = alias
	}
	b, err := examples.ReadFile(name + ".yaml")
	if err != nil {
		return nil, Problems{{File: nameOrPath, Msg: fmt.Sprintf("no such file, and no example of that name (examples: %s)",
			strings.Join(Examples(), ", "))}}
	}
	return readBytes("embedded:"+name, b)
}

// Raw is a copy of the document's keys (lowercased), as decoded from the
// file: maps, lists and scalars.
func (d *Document) Raw() map[string]any { return deepCopy(d.raw).(map[string]any) }

// Decode applies the overrides in order (a later one wins) and checks the
// result exactly as a file that said so. A problem at or inside a key an
// override set names the override ("(from --set workload.rate=-1)").
func (d *Document) Decode(ovs ...Override) (*Scenario, error) {
	raw, done, probs := applyOverrides(d.File, d.raw, ovs)
	s, err := decode(d.File, raw, d.traces)
	var dp Problems
	if errors.As(err, &dp) {
		return nil, append(probs, attribute(dp, done)...)
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

// readBytes reads an embedded (YAML) scenario.
func readBytes(file string, b []byte) (*Document, error) {
	v := newViper()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(b)); err != nil {
		return nil, syntaxProblems(file, "yaml", err)
	}
	return &Document{File: file, raw: normalize(v.AllSettings()).(map[string]any), typ: "yaml",
		text: func() ([]byte, error) { return b, nil }, traces: newTraceCache()}, nil
}

// newViper does not split keys at dots, so a percentile key like "99.9"
// stays one key.
func newViper() *viper.Viper {
	return viper.NewWithOptions(viper.KeyDelimiter("::"))
}

var yamlLine = regexp.MustCompile(`^\s*line (\d+): (.*)$`)

// syntaxProblems turns a parser error into problems at "line N" where the
// parser says the line.
func syntaxProblems(file, typ string, err error) Problems {
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
			if b, rerr := os.ReadFile(file); rerr == nil && se.Offset <= int64(len(b)) {
				line = 1 + bytes.Count(b[:se.Offset], []byte("\n"))
			}
		}
		add(line, msg)
	default:
		add(0, msg)
	}
	return probs
}
