package reports

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// PathValue is one numeric figure of a system by its path in the system's
// results.json object: "latency_ms.p99", "cost_usd.breakdown.compute",
// "functions[api].cold_start_ratio" (list elements by name).
type PathValue struct {
	Path  string
	Value float64
}

// NumericPaths lists every numeric field of s as results.json writes it,
// in the document's order. It reads the JSON encoding itself, so every
// figure results.json has is a metric, and none it lacks.
//
// ADAPTER: issue 9 brings one metric table with lookup by JSON path; when
// it lands, sweeps enumerate that table and this file goes.
func NumericPaths(s *SystemResult) []PathValue {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a SystemResult always encodes
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []PathValue
	walkJSON(dec, "", &out)
	return out
}

// walkJSON reads one value at path, adding its numeric leaves.
func walkJSON(dec *json.Decoder, path string, out *[]PathValue) {
	t, err := dec.Token()
	if err != nil {
		return
	}
	switch t := t.(type) {
	case json.Number:
		if f, err := t.Float64(); err == nil {
			*out = append(*out, PathValue{path, f})
		}
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				k, _ := dec.Token()
				key, _ := k.(string)
				next := key
				if path != "" {
					next = path + "." + key
				}
				walkJSON(dec, next, out)
			}
			dec.Token()
		case '[':
			// Only lists of named objects (functions) hold figures.
			for i := 0; dec.More(); i++ {
				var raw json.RawMessage
				if dec.Decode(&raw) != nil {
					return
				}
				var named struct {
					Name string `json:"name"`
				}
				if json.Unmarshal(raw, &named) != nil || named.Name == "" {
					continue
				}
				sub := json.NewDecoder(bytes.NewReader(raw))
				sub.UseNumber()
				walkJSON(sub, path+"["+named.Name+"]", out)
			}
			dec.Token()
		}
	}
}

// formatFloat writes x as JSON and CSV do: the shortest exact form.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
