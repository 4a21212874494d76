package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/viper"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// Raw is a scenario file read into a generic map, not yet checked: the form
// in which a sweep point's overrides are laid over the file before it is
// decoded, so a point passes exactly the checks the file does.
type Raw struct {
	File string         // the path given, or "embedded:NAME"
	Map  map[string]any // keys lowercased (normalize); numbers as the parser gave them
	typ  string         // yaml | toml | json
	text func() ([]byte, error)
}

// Read reads nameOrPath like Open, without decoding it.
func Read(nameOrPath string) (*Raw, error) {
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

// exampleAliases keep retired example names working: power-tuning was six
// hand-copied systems, now the memory-for-cost sweep.
var exampleAliases = map[string]string{"power-tuning": "memory-for-cost"}

func readFile(path string) (*Raw, error) {
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
	return &Raw{File: path, Map: normalize(v.AllSettings()).(map[string]any), typ: typ,
		text: func() ([]byte, error) { return os.ReadFile(path) }}, nil
}

// readBytes reads an embedded (YAML) scenario.
func readBytes(file string, b []byte) (*Raw, error) {
	v := newViper()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(b)); err != nil {
		return nil, syntaxProblems(file, "yaml", err)
	}
	return &Raw{File: file, Map: normalize(v.AllSettings()).(map[string]any), typ: "yaml",
		text: func() ([]byte, error) { return b, nil }}, nil
}

// Clone is a deep copy of r: overrides on it leave r as read.
func (r *Raw) Clone() *Raw {
	c := *r
	c.Map = deepCopy(r.Map).(map[string]any)
	return &c
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// Decode checks r and returns the Scenario, or every problem found.
func (r *Raw) Decode() (*Scenario, error) { return decode(r.File, r.Map, nil) }

// Loader decodes many variants of one scenario (the points of a sweep) and
// checks each trace file once: a trace is read and checked on its first
// use, then shared (read-only) by every later decode with the same trace
// keys and seed, so a sweep of 100 points reads the file once per process.
// A Loader is safe for concurrent use.
type Loader struct {
	mu     sync.Mutex
	traces map[string]*cachedTrace
}

type cachedTrace struct {
	once sync.Once
	tr   *workloads.Trace
	err  error
}

// NewLoader returns a Loader with an empty trace cache.
func NewLoader() *Loader { return &Loader{traces: map[string]*cachedTrace{}} }

// Decode is r.Decode with the Loader's trace cache.
func (l *Loader) Decode(r *Raw) (*Scenario, error) { return decode(r.File, r.Map, l) }

// readTrace is workloads.ReadTrace, once per (options, seed). Options name
// their files by Input.Name, which is unique per file (a path, or the
// embedded name), so the key identifies what is read.
func (l *Loader) readTrace(seed sim.Seed, o workloads.TraceOptions) (*workloads.Trace, error) {
	if l == nil {
		return workloads.ReadTrace(seed, o)
	}
	key := traceKey(seed, o)
	l.mu.Lock()
	c, ok := l.traces[key]
	if !ok {
		c = &cachedTrace{}
		l.traces[key] = c
	}
	l.mu.Unlock()
	c.once.Do(func() { c.tr, c.err = workloads.ReadTrace(seed, o) })
	return c.tr, c.err
}

// traceKey prints every option that changes what ReadTrace returns; the
// Open functions are replaced by the names of the files they open.
func traceKey(seed sim.Seed, o workloads.TraceOptions) string {
	name := func(in *workloads.Input) string {
		if in == nil {
			return ""
		}
		return in.Name
	}
	inv := o.Invocations.Name
	o.Invocations = workloads.Input{}
	d, m := name(o.Durations), name(o.Memory)
	o.Durations, o.Memory = nil, nil
	return fmt.Sprintf("%d|%s|%s|%s|%#v", seed, inv, d, m, o)
}
