package scenarios

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// KeyOrder returns the keys of the map at path (lowercase keys from the
// top: "sweep", "axes") as the file writes them, in the file's order. The
// generic map has lost that order, and a sweep's grid is laid out in it
// (the first axis varies slowest). Nil when the file has no such map.
func (d *Document) KeyOrder(path ...string) []string {
	if d.text == nil {
		return nil
	}
	b, err := d.text()
	if err != nil {
		return nil
	}
	switch d.typ {
	case "yaml":
		return yamlKeyOrder(b, path)
	case "json":
		return jsonKeyOrder(b, path)
	case "toml":
		return tomlKeyOrder(b, path)
	}
	return nil
}

func yamlKeyOrder(b []byte, path []string) []string {
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	n := doc.Content[0]
	for _, key := range path {
		n = yamlChild(n, key)
		if n == nil {
			return nil
		}
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

func yamlChild(n *yaml.Node, key string) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if strings.EqualFold(n.Content[i].Value, key) {
			return n.Content[i+1]
		}
	}
	return nil
}

// jsonKeyOrder walks the token stream down path and lists the keys of the
// object found there.
func jsonKeyOrder(b []byte, path []string) []string {
	dec := json.NewDecoder(bytes.NewReader(b))
	var walk func(depth int) ([]string, bool)
	// object reads one object's members (its '{' already read).
	walk = func(depth int) ([]string, bool) {
		var keys []string
		found := false
		var out []string
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return nil, false
			}
			k, _ := t.(string)
			keys = append(keys, k)
			if depth < len(path) && strings.EqualFold(k, path[depth]) {
				t, err := dec.Token()
				if err != nil {
					return nil, false
				}
				if d, ok := t.(json.Delim); ok && d == '{' {
					out, found = walk(depth + 1)
					continue
				}
				if d, ok := t.(json.Delim); ok && d == '[' {
					skipRest(dec)
				}
				continue
			}
			skipValue(dec)
		}
		dec.Token() // '}'
		if depth == len(path) {
			return keys, true
		}
		return out, found
	}
	t, err := dec.Token()
	if d, ok := t.(json.Delim); err != nil || !ok || d != '{' {
		return nil
	}
	keys, _ := walk(0)
	return keys
}

// skipValue skips one JSON value; skipRest the rest of an open array or object.
func skipValue(dec *json.Decoder) {
	t, err := dec.Token()
	if err != nil {
		return
	}
	if d, ok := t.(json.Delim); ok && (d == '{' || d == '[') {
		skipRest(dec)
	}
}

func skipRest(dec *json.Decoder) {
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
}

// tomlKeyOrder follows every way TOML can write a table's keys: under a
// [table] header, as dotted keys (sweep.axes."workload.rate" = ...), or
// in an inline table (axes = {"workload.rate" = ...}).
func tomlKeyOrder(b []byte, path []string) []string {
	var p unstable.Parser
	p.Reset(b)
	var table []string // the current [table] header
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[strings.ToLower(k)] {
			seen[strings.ToLower(k)] = true
			keys = append(keys, k)
		}
	}
	var inline func(n *unstable.Node, at []string)
	// keyval handles one key = value at table prefix at.
	keyval := func(n *unstable.Node, at []string) {
		full := append(append([]string(nil), at...), tomlKey(n)...)
		if len(full) > len(path) && hasPrefixFold(full, path) {
			add(full[len(path)])
			return
		}
		v := n.Value()
		if v.Kind == unstable.InlineTable && len(full) <= len(path) && hasPrefixFold(path, full) {
			inline(v, full)
		}
	}
	inline = func(n *unstable.Node, at []string) {
		it := n.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				keyval(c, at)
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = tomlKey(e)
			if len(table) > len(path) && hasPrefixFold(table, path) {
				add(table[len(path)])
			}
		case unstable.KeyValue:
			keyval(e, table)
		}
	}
	if p.Error() != nil {
		return nil
	}
	return keys
}

func tomlKey(n *unstable.Node) []string {
	var parts []string
	it := n.Key()
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

func hasPrefixFold(s, prefix []string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := range prefix {
		if !strings.EqualFold(s[i], prefix[i]) {
			return false
		}
	}
	return true
}
