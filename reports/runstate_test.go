package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/workloads"
)

// fillAll sets every exported field of v (a pointer) to a value that is not
// the zero value and not a round number, recursing into structs, slices
// and pointers, so a field the wire form drops or rounds shows.
func fillAll(v reflect.Value, seed *float64) {
	*seed += 1
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), seed)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), seed)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillAll(v.Index(0), seed)
		fillAll(v.Index(1), seed)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillAll(k, seed)
		fillAll(e, seed)
		v.SetMapIndex(k, e)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(*seed/3 + 1e-17) // 1/3 has no short decimal form
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		v.SetInt(int64(*seed) * 1_000_003)
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		v.SetUint(uint64(*seed) * 7)
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", int(*seed)%5))
	case reflect.Bool:
		v.SetBool(true)
	}
}

// stateOf runs a made-up system of nfn functions: n requests with
// lognormal latencies, some rejected, timed out or cold, and some still in
// flight, over a watched window, with every field of the summary set.
func stateOf(t *testing.T, nfn, n int, seed uint64) (SystemState, SystemInfo) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	a := NewAccumulator(nfn)
	w := models.Window{Warmup: time.Minute, Horizon: time.Hour}
	a.WatchBacklog(w)
	at := w.Warmup
	for i := 0; i < n; i++ {
		at += time.Duration(r.ExpFloat64() * float64(time.Second))
		fn := int32(r.IntN(nfn))
		a.Arrived(&workloads.Invocation{At: at, Fn: fn})
		rec := models.Record{Arrival: at, End: at + time.Duration(math.Exp(math.Log(80e6)+0.9*r.NormFloat64())), Fn: fn, Cold: r.IntN(9) == 0}
		if r.IntN(3) == 0 { // a third waited for capacity first
			rec.Wait = time.Duration(r.ExpFloat64() * float64(50*time.Millisecond))
			rec.End += rec.Wait
		}
		switch k := r.IntN(20); {
		case k == 0:
			rec.Outcome = models.Rejected
		case k == 1:
			rec.Outcome = models.TimedOut
		case k == 2:
			continue // still in flight at the end
		}
		a.Ended(&rec)
	}
	var sum models.Summary
	x := 0.0
	fillAll(reflect.ValueOf(&sum).Elem(), &x)
	info := SystemInfo{Name: "lambda", Type: "faas", Platform: "aws-lambda-x86"}
	for i := range nfn {
		info.Functions = append(info.Functions, "f"+string(rune('a'+i)))
	}
	return NewSystemState(a, sum), info
}

// roundTrip writes st and reads it back.
func roundTrip(t *testing.T, st SystemState) (SystemState, []byte) {
	t.Helper()
	b, err := EncodeStates([]SystemState{st})
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeStates(b)
	if err != nil {
		t.Fatalf("reading back %s: %v", b, err)
	}
	return back[0], b
}

// TestSystemStateRoundTrip: a state read back from its wire form gives the
// same SystemResult, every float to the bit (the results.json bytes), and
// writes the same bytes again; one function, several, and none completed.
func TestSystemStateRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name   string
		nfn, n int
	}{
		{"one function", 1, 5000},
		{"three functions", 3, 8000},
		{"nothing arrived", 1, 0},
		{"a handful", 4, 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, info := stateOf(t, c.nfn, c.n, uint64(c.n)+1)
			want := st.Result(info)
			back, b := roundTrip(t, st)
			got := back.Result(info)
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if !bytes.Equal(wj, gj) {
				t.Fatalf("figures differ after the round trip:\nwant %s\ngot  %s", wj, gj)
			}
			if !reflect.DeepEqual(back.sum, st.sum) {
				t.Errorf("summary differs after the round trip:\nwant %+v\ngot  %+v", st.sum, back.sum)
			}
			again, _ := EncodeStates([]SystemState{back})
			if !bytes.Equal(again, b) {
				t.Errorf("the state read back writes other bytes:\n%s\n%s", b, again)
			}
			if c.n > 1000 && (want.LatencyMS.P99 == 0 || want.Completed == 0 || want.Waited == 0 || want.WaitMS.P99 == 0) {
				t.Errorf("the test run has no latencies or no waits: %+v", want)
			}
		})
	}
}

// TestSystemStateSum128: a latency sum past 2^64 ns (584 years of
// latency) is written in decimal and read back exactly.
func TestSystemStateSum128(t *testing.T) {
	st, info := stateOf(t, 1, 10, 3)
	st.acc.all.sumLatency = sum128{hi: 3, lo: 12345}
	back, b := roundTrip(t, st)
	if !bytes.Contains(b, []byte(`"sum_latency_ns":"55340232221128667193"`)) { // 3·2^64 + 12345
		t.Errorf("the 128-bit sum is not written in decimal: %s", b)
	}
	if back.acc.all.sumLatency != st.acc.all.sumLatency || back.Result(info).LatencyMS.Mean != st.Result(info).LatencyMS.Mean {
		t.Errorf("sum %+v read back as %+v", st.acc.all.sumLatency, back.acc.all.sumLatency)
	}
}

// TestSystemStateBad: a damaged or foreign state is an error, not figures.
func TestSystemStateBad(t *testing.T) {
	st, _ := stateOf(t, 1, 100, 4)
	b, _ := EncodeStates([]SystemState{st})
	for name, edit := range map[string]func(m map[string]any){
		"unknown key":     func(m map[string]any) { m["extra"] = 1 },
		"negative sum":    func(m map[string]any) { all(m)["sum_latency_ns"] = "-5" },
		"sum not integer": func(m map[string]any) { all(m)["sum_latency_ns"] = "1.5" },
		"sketch count":    func(m map[string]any) { all(m)["completed"] = all(m)["completed"].(float64) - 1 },
		"sketch garbage":  func(m map[string]any) { all(m)["sketch"] = "AAAA" },
		"more ended than arrived": func(m map[string]any) {
			all(m)["rejected"] = all(m)["requests"].(float64) + 1
		},
		"more waited than arrived": func(m map[string]any) { all(m)["waited"] = all(m)["requests"].(float64) + 1 },
		"more waits than completions": func(m map[string]any) {
			wait(m)["completed_waited"] = all(m)["completed"].(float64) + 1
		},
		"wait sketch count":    func(m map[string]any) { wait(m)["completed_waited"] = wait(m)["completed_waited"].(float64) - 1 },
		"waits without sketch": func(m map[string]any) { delete(wait(m), "sketch") },
		"wait sum negative":    func(m map[string]any) { wait(m)["sum_ns"] = "-1" },
	} {
		var l []map[string]any
		_ = json.Unmarshal(b, &l)
		edit(l[0])
		bad, _ := json.Marshal(l)
		if _, err := DecodeStates(bad); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}

func all(m map[string]any) map[string]any {
	return m["accumulator"].(map[string]any)["all"].(map[string]any)
}

func wait(m map[string]any) map[string]any {
	return m["accumulator"].(map[string]any)["wait"].(map[string]any)
}

// BenchmarkSystemStateRoundTrip: writing a state and reading it back, as
// every run of a sweep does (5,000 requests, latencies over three decades).
func BenchmarkSystemStateRoundTrip(b *testing.B) {
	st, _ := stateOf(&testing.T{}, 1, 5000, 1)
	for b.Loop() {
		buf, err := EncodeStates([]SystemState{st})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeStates(buf); err != nil {
			b.Fatal(err)
		}
	}
}
