package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// A scenario file is checked here before viper sees it: viper's
// AllSettings is cubic in the nesting depth (1,000 levels took 2.2 s, 9,000
// never finished), go-toml recurses once per nested array (a 4 MB line of
// "[" overflows the 1 GB stack, a fatal error no recover catches), and
// viper lowercases keys into a map, so two keys that differ only in case
// would be read in map order: one file, two readings.
const (
	// MaxScenarioBytes bounds a scenario file; the largest example is 4 KB.
	MaxScenarioBytes = 4 << 20
	// MaxDepth bounds the nesting of maps and lists; the deepest scenario
	// key (systems[i].keep_alive.on_demand.idle.percentiles) is 7 levels.
	MaxDepth = 32
	// maxValues bounds the values of one file, YAML aliases expanded (a
	// "billion laughs" file is small but expands without end).
	maxValues = 1_000_000
	// maxKeys bounds the keys of one map: go-yaml's decoder (viper's)
	// checks each key against every earlier one, so 150,000 keys took
	// minutes. A scenario's largest map has a few dozen.
	maxKeys = 10_000
)

// readRegular reads a regular file of at most limit bytes. A FIFO would
// block forever, /dev/zero never ends and a directory is not a file: all
// are refused before they are opened. The returned error is a Problem when
// the file is not what a scenario can be, else the I/O error (naming the
// file).
func readRegular(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if msg := notRegular(st); msg != "" {
		return nil, Problems{{File: path, Msg: msg}}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Checked again on the open file: the path may have been replaced.
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if msg := notRegular(st); msg != "" {
		return nil, Problems{{File: path, Msg: msg}}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(b)) > limit {
		return nil, Problems{{File: path, Msg: fmt.Sprintf("larger than %d MB; a scenario is a few KB (put large data in a trace file)", limit>>20)}}
	}
	return b, nil
}

// notRegular says what st is when it is not a regular file.
func notRegular(st fs.FileInfo) string {
	m := st.Mode()
	what := ""
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
	}
	return "is " + what + "; want a regular file"
}

// checkDocument checks a scenario document's shape in its own format's
// parser: nesting depth, number of values, and keys of one map that are
// equal or differ only in case (keys are case-insensitive). It returns the
// problems found, or nil when viper may read the document.
func checkDocument(file, typ string, b []byte) Problems {
	c := &shapeCheck{file: file, src: b}
	switch typ {
	case "yaml":
		c.yaml()
	case "json":
		c.json()
	case "toml":
		c.toml()
	}
	return c.probs
}

// checkValue checks a YAML value (of --set) as checkDocument does a file,
// with depth levels left below its key path.
func checkValue(val string, depth int) Problems {
	c := &shapeCheck{src: []byte(val), maxDepth: depth}
	c.yaml()
	return c.probs
}

type shapeCheck struct {
	maxDepth int // 0: MaxDepth
	file     string
	src      []byte
	probs    Problems
	values   int
	// stop is set once the document is too deep or too large: nothing
	// further is checked, the first such problem is the one to fix.
	stop bool
}

func (c *shapeCheck) fail(line int, path, format string, args ...any) {
	where := path
	if line > 0 {
		if where == "" {
			where = "line " + strconv.Itoa(line)
		} else {
			where += " (line " + strconv.Itoa(line) + ")"
		}
	}
	c.probs = append(c.probs, Problem{File: c.file, Path: where, Msg: fmt.Sprintf(format, args...)})
}

// enter counts one value at depth (its line given, or its byte offset when
// line is 0 and off >= 0: counted only on failure) and reports whether to
// go on.
func (c *shapeCheck) enter(depth, line, off int, path string) bool {
	if c.stop {
		return false
	}
	c.values++
	limit := MaxDepth
	if c.maxDepth > 0 {
		limit = c.maxDepth
	}
	if depth <= limit && c.values <= maxValues {
		return true
	}
	if line == 0 && off >= 0 {
		line = c.lineAt(off)
	}
	if depth > limit {
		c.fail(line, path, "nested more than %d levels deep; a scenario needs at most 8", MaxDepth)
	} else {
		c.fail(line, path, "more than %d values (YAML aliases counted where they are used); a scenario has a few hundred", maxValues)
	}
	c.stop = true
	return false
}

// keySet finds keys of one map that collide when case is ignored.
type keySet struct {
	seen map[string]keyAt
	n    int
}

// tooMany reports a map past maxKeys, once.
func (c *shapeCheck) tooMany(keys *keySet, path string, k keyAt) bool {
	if keys.n <= maxKeys {
		return false
	}
	line := k.line
	if line == 0 {
		line = c.lineAt(k.off)
	}
	c.fail(line, path, "a map of more than %d keys; a scenario's largest has a few dozen", maxKeys)
	c.stop = true
	return true
}

type keyAt struct {
	key  string
	line int
	off  int // byte offset, when the line is computed only on a collision
}

// add records key and returns the earlier key it collides with.
func (s *keySet) add(k keyAt) (keyAt, bool) {
	s.n++
	if s.seen == nil {
		s.seen = map[string]keyAt{}
	}
	low := strings.ToLower(k.key)
	if first, dup := s.seen[low]; dup {
		return first, true
	}
	s.seen[low] = k
	return keyAt{}, false
}

// collision reports key `second` of the map at path colliding with `first`.
func (c *shapeCheck) collision(path string, first, second keyAt) {
	l1, l2 := first.line, second.line
	if l1 == 0 {
		l1 = c.lineAt(first.off)
	}
	if l2 == 0 {
		l2 = c.lineAt(second.off)
	}
	at := join(path, strings.ToLower(second.key))
	if first.key == second.key {
		c.fail(l2, at, "key %s is given twice (first at line %d); keep one", quote(second.key), l1)
		return
	}
	c.fail(l2, at, "keys %s and %s (line %d) differ only in case, and keys ignore case; keep one",
		quote(second.key), quote(first.key), l1)
}

// lineAt is the 1-based line of byte offset off.
func (c *shapeCheck) lineAt(off int) int {
	off = min(max(off, 0), len(c.src))
	return 1 + bytes.Count(c.src[:off], []byte("\n"))
}

// yaml walks the node tree of go-yaml, the parser viper uses. Its own
// depth limit (10,000) is far above ours but keeps its parse linear.
func (c *shapeCheck) yaml() {
	var doc yaml.Node
	if err := yaml.Unmarshal(c.src, &doc); err != nil {
		return // viper reports the syntax error, with its line
	}
	c.yamlNode(&doc, 0, "")
}

func (c *shapeCheck) yamlNode(n *yaml.Node, depth int, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, e := range n.Content {
			c.yamlNode(e, depth, path)
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			c.yamlNode(n.Alias, depth, path)
		}
	case yaml.SequenceNode:
		if !c.enter(depth+1, n.Line, -1, path) {
			return
		}
		for i, e := range n.Content {
			c.yamlNode(e, depth+1, path+"["+strconv.Itoa(i)+"]")
		}
	case yaml.MappingNode:
		if !c.enter(depth+1, n.Line, -1, path) {
			return
		}
		var keys keySet
		c.yamlMapping(n, depth+1, path, &keys)
	default:
		c.enter(depth, n.Line, -1, path)
	}
}

// yamlMapping checks the pairs of n, and of the maps merged into it with
// "<<", as one map: merged keys collide with the map's own when they differ
// only in case (viper would then keep one of them at random).
func (c *shapeCheck) yamlMapping(n *yaml.Node, depth int, path string, keys *keySet) {
	for i := 0; i+1 < len(n.Content) && !c.stop; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			for _, m := range yamlMerged(v) {
				c.yamlMapping(m, depth, path, keys)
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			c.fail(k.Line, path, "a key must be a string or a number, found %s", yamlKind(k))
			continue
		}
		// Equal keys are go-yaml's to report (it does, with both lines),
		// or a merged key overridden, as YAML allows.
		at := keyAt{key: k.Value, line: k.Line}
		if first, dup := keys.add(at); dup && first.key != at.key {
			c.collision(path, first, at)
		}
		if c.tooMany(keys, path, at) {
			return
		}
		c.yamlNode(v, depth, join(path, strings.ToLower(k.Value)))
	}
}

// yamlMerged lists the maps a merge key brings in (a map, an alias of one,
// or a list of them).
func yamlMerged(v *yaml.Node) []*yaml.Node {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			out = append(out, yamlMerged(e)...)
		}
		return out
	}
	return nil
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a value"
}

// json walks the token stream: depth is known before any value is built,
// and encoding/json (and so viper) would keep the last of two equal keys
// without a word.
func (c *shapeCheck) json() {
	dec := json.NewDecoder(bytes.NewReader(c.src))
	dec.UseNumber()
	c.jsonValue(dec, 0, "")
}

func (c *shapeCheck) jsonValue(dec *json.Decoder, depth int, path string) {
	off := int(dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		c.stop = true // a syntax error: viper reports it, with its line
		return
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		c.enter(depth, 0, off, path)
		return
	}
	if !c.enter(depth+1, 0, off, path) {
		return
	}
	switch d {
	case '[':
		for i := 0; dec.More() && !c.stop; i++ {
			c.jsonValue(dec, depth+1, path+"["+strconv.Itoa(i)+"]")
		}
	case '{':
		var keys keySet
		for dec.More() && !c.stop {
			koff := int(dec.InputOffset())
			tok, err := dec.Token()
			k, isStr := tok.(string)
			if err != nil || !isStr {
				c.stop = true
				return
			}
			// InputOffset is before the separator and spaces ahead of the key.
			at := keyAt{key: k, off: koff + bytes.IndexByte(c.src[koff:], '"')}
			if first, dup := keys.add(at); dup {
				c.collision(path, first, at)
			}
			if c.tooMany(&keys, path, at) {
				return
			}
			c.jsonValue(dec, depth+1, join(path, strings.ToLower(k)))
		}
	}
	if !c.stop {
		if _, err := dec.Token(); err != nil { // the closing delimiter
			c.stop = true
		}
	}
}

// toml checks the nesting of brackets and braces on the text first
// (go-toml's parser recurses once per level and would overflow the stack
// on a deep file), then replays the document's tables and keys into a tree
// of names, to find keys that collide and dotted keys nested too deep.
func (c *shapeCheck) toml() {
	if line, deep := tomlTooDeep(c.src); deep {
		c.fail(line, "", "nested more than %d levels deep; a scenario needs at most 8", MaxDepth)
		c.stop = true
		return
	}
	p := unstable.Parser{}
	p.Reset(c.src)
	root := &tomlTable{depth: 1}
	cur := root
	for p.NextExpression() && !c.stop {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			cur = root
			keys := tomlKeys(e.Key())
			for i, k := range keys {
				cur = c.tomlChild(cur, k, i == len(keys)-1 && e.Kind == unstable.ArrayTable)
			}
		case unstable.KeyValue:
			c.tomlKeyValue(cur, e)
		}
	}
	// A syntax error (p.Error()) is left to viper, which reports it with its line.
}

// tomlTable is a table of the document being replayed: its key path and
// depth, its keys (and where each was first written) and its sub-tables.
type tomlTable struct {
	path  string
	depth int
	keys  keySet
	sub   map[string]*tomlTable // lowercased key -> table (an array of tables: its last element)
	n     map[string]int        // lowercased key -> elements of an array of tables
}

// tomlKeys lists the parts of a (dotted) key with their offsets.
func tomlKeys(it unstable.Iterator) []keyAt {
	var out []keyAt
	for it.Next() {
		n := it.Node()
		out = append(out, keyAt{key: string(n.Data), off: int(n.Raw.Offset)})
	}
	return out
}

// tomlChild descends from t into key k (creating it), checking k against
// t's other keys. array: k names an array of tables and a new element begins.
// Equal keys are go-toml's to report (it does, with the line); keys that
// differ only in case are ours.
func (c *shapeCheck) tomlChild(t *tomlTable, k keyAt, array bool) *tomlTable {
	low := strings.ToLower(k.key)
	if first, dup := t.keys.add(k); dup && first.key != k.key {
		c.collision(t.path, first, k)
	}
	c.tooMany(&t.keys, t.path, k)
	if t.sub == nil {
		t.sub, t.n = map[string]*tomlTable{}, map[string]int{}
	}
	path, depth := join(t.path, low), t.depth+1
	if array {
		path, depth = fmt.Sprintf("%s[%d]", path, t.n[low]), depth+1
		t.n[low]++
		t.sub[low] = &tomlTable{path: path, depth: depth}
	} else if t.sub[low] == nil {
		t.sub[low] = &tomlTable{path: path, depth: depth}
	}
	c.enter(depth, 0, k.off, path)
	return t.sub[low]
}

// tomlKeyValue records a (dotted) key = value in t, and an inline table's
// or array's contents below it.
func (c *shapeCheck) tomlKeyValue(t *tomlTable, e *unstable.Node) {
	keys := tomlKeys(e.Key())
	for _, k := range keys[:len(keys)-1] {
		t = c.tomlChild(t, k, false)
	}
	last := keys[len(keys)-1]
	if first, dup := t.keys.add(last); dup && first.key != last.key {
		c.collision(t.path, first, last)
	}
	if c.tooMany(&t.keys, t.path, last) {
		return
	}
	c.tomlValue(join(t.path, strings.ToLower(last.key)), t.depth, last.off, e.Value())
}

func (c *shapeCheck) tomlValue(path string, depth, off int, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		if !c.enter(depth+1, 0, off, path) {
			return
		}
		sub := &tomlTable{path: path, depth: depth + 1}
		it := v.Children()
		for it.Next() && !c.stop {
			c.tomlKeyValue(sub, it.Node())
		}
	case unstable.Array:
		if !c.enter(depth+1, 0, off, path) {
			return
		}
		it := v.Children()
		for i := 0; it.Next() && !c.stop; i++ {
			c.tomlValue(fmt.Sprintf("%s[%d]", path, i), depth+1, off, it.Node())
		}
	default:
		c.enter(depth, 0, off, path)
	}
}

// tomlTooDeep scans TOML text for brackets and braces nested deeper than
// MaxDepth, skipping strings and comments, and returns the line where the
// limit is passed.
func tomlTooDeep(b []byte) (int, bool) {
	depth, line := 0, 1
	for i := 0; i < len(b); i++ {
		switch ch := b[i]; ch {
		case '\n':
			line++
		case '#':
			for i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			delim := []byte{ch}
			if bytes.HasPrefix(b[i:], []byte{ch, ch, ch}) {
				delim = []byte{ch, ch, ch}
			}
			j := i + len(delim)
			for j < len(b) && !bytes.HasPrefix(b[j:], delim) {
				if b[j] == '\\' && ch == '"' {
					j++
				}
				if j < len(b) && b[j] == '\n' {
					line++
				}
				j++
			}
			i = j + len(delim) - 1
		case '[', '{':
			if depth++; depth > MaxDepth {
				return line, true
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return 0, false
}
