package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
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
	r, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return r.Decode()
}

// Open loads nameOrPath if it is a file, else the embedded example of that
// name (with or without .yaml).
func Open(nameOrPath string) (*Scenario, error) {
	r, err := Read(nameOrPath)
	if err != nil {
		return nil, err
	}
	return r.Decode()
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

// loadBytes reads an embedded (YAML) scenario.
func loadBytes(file string, b []byte) (*Scenario, error) {
	r, err := readBytes(file, b)
	if err != nil {
		return nil, err
	}
	return r.Decode()
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
