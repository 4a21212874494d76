package workloads_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// Fuzz targets of the trace readers (csv, azure2021, azure2019 with its
// companions). The invariant: no panic; a read either fails with a
// *TraceError naming the file, or gives a trace whose replay yields
// invocations in arrival order within [0, horizon), with execution times
// from 0 to 50 years and function indices in the table, in bounded time.

const fuzzHorizon = sim.Time(time.Hour)

// maxReplay bounds the invocations drained from one fuzzed trace (a scale
// or count can make millions; the first ones show the order is kept).
const maxReplay = 20000

func checkTrace(t *testing.T, o workloads.TraceOptions) {
	t.Helper()
	start := time.Now()
	tr, err := workloads.ReadTrace(1, o)
	if err != nil {
		var te *workloads.TraceError
		if !errors.As(err, &te) {
			// A window not in whole minutes is an option error, not the file's.
			if !strings.Contains(err.Error(), "whole minutes") {
				t.Fatalf("an error that is not a TraceError: %v", err)
			}
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("reading took %v", time.Since(start))
		}
		return
	}
	if len(tr.Functions) == 0 {
		t.Fatal("a trace without functions")
	}
	src, err := tr.NewSource(2, fuzzHorizon)
	if err != nil {
		t.Fatalf("NewSource: %v", err)
	}
	var inv workloads.Invocation
	last := sim.Time(0)
	for n := 0; n < maxReplay && src.Next(&inv); n++ {
		switch {
		case inv.At < last:
			t.Fatalf("invocation %d at %v after one at %v", n, inv.At, last)
		case inv.At < 0 || inv.At >= fuzzHorizon:
			t.Fatalf("invocation %d at %v, outside [0, %v)", n, inv.At, fuzzHorizon)
		case inv.Exec < 0 || inv.Exec > dist.Seconds(dist.MaxSeconds):
			t.Fatalf("invocation %d runs %v", n, inv.Exec)
		case int(inv.Fn) < 0 || int(inv.Fn) >= len(tr.Functions):
			t.Fatalf("invocation %d of function %d; the table has %d", n, inv.Fn, len(tr.Functions))
		}
		last = inv.At
	}
	if err := src.Err(); err != nil {
		t.Fatalf("replaying a trace that was read whole: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("reading and replaying took %v", time.Since(start))
	}
}

// rowOptions are the options of a fuzzed row trace, from two bytes.
func rowOptions(format string, flags byte, scale float64) workloads.TraceOptions {
	o := workloads.TraceOptions{Format: format, SkipBadRows: flags&1 != 0, MinMemoryMB: 1, MemoryMB: 128,
		Exec: dist.Constant{Value: 0.1}, ReorderWindow: 10 * time.Minute}
	if flags&2 != 0 {
		o.From = 30 * time.Second
	}
	if flags&4 != 0 {
		o.To = 20 * time.Minute
	}
	if scale > 0 && scale <= 10 {
		o.Scale = scale
	}
	return o
}

func seedFile(f *testing.F, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	return string(b)
}

func FuzzTraceCSV(f *testing.F) {
	for _, s := range []string{
		"offset,function,duration\n0,f,0.1\n1,g,0.2\n",
		"timestamp,function,duration,memory_mb\n2021-01-31T13:00:00Z,f,0.1,256\n2021-01-31T13:00:01.5Z,f,0.3,512\n",
		"\xef\xbb\xbfoffset,function,duration\n0,f,1e300\n",
		"offset\n0\n0\n1e300\n",
		"offset,function\n-1,f\n",
		"timestamp,function\n9999-01-01T00:00:00Z,f\n1600000000,f\n",
		"offset,duration\n700,1\n0,1\n",
		"offset,function,duration\n0,\"f\",1\n",
	} {
		f.Add(s, byte(0), 1.0)
	}
	f.Fuzz(func(t *testing.T, text string, flags byte, scale float64) {
		o := rowOptions(workloads.FormatCSV, flags, scale)
		o.Invocations = strInput("fuzz.csv", text)
		checkTrace(t, o)
	})
}

func FuzzTraceAzure2021(f *testing.F) {
	f.Add("app,func,end_timestamp,duration\na,f,10.5,0.5\na,g,11,1\nb,f,12,0.25\n", byte(0), 1.0)
	f.Add("app,func,end_timestamp,duration\na,f,1e300,1e300\n", byte(0), 1.0)
	f.Add("app,func,end_timestamp,duration\na,f,0,5\na,f,1000,1\na,f,2,1\n", byte(1), 2.5)
	f.Fuzz(func(t *testing.T, text string, flags byte, scale float64) {
		o := rowOptions(workloads.FormatAzure2021, flags, scale)
		o.Invocations = strInput("fuzz.csv", text)
		checkTrace(t, o)
	})
}

func FuzzTraceAzure2019(f *testing.F) {
	dir := filepath.Join(traces, "azure2019-sample10")
	f.Add(seedFile(f, filepath.Join(dir, "invocations.csv")), seedFile(f, filepath.Join(dir, "durations.csv")),
		seedFile(f, filepath.Join(dir, "memory.csv")), byte(0), 1.0)
	const durs = "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\n" +
		"o,a,f,10,3,1,20,1,1,5,10,15,20,20\n"
	f.Add("HashOwner,HashApp,HashFunction,Trigger,1,2,3\no,a,f,http,1,0,4294967295\n", durs, "", byte(0), 1.5)
	f.Add("\xef\xbb\xbfHashOwner,HashApp,HashFunction,Trigger,1,2\no,a,f,http,3,2\n", durs,
		"HashOwner,HashApp,AverageAllocatedMb\no,a,1e300\n", byte(5), 1.0)
	f.Fuzz(func(t *testing.T, inv, durations, memory string, flags byte, scale float64) {
		o := workloads.TraceOptions{Format: workloads.FormatAzure2019, Invocations: strInput("inv.csv", inv),
			Durations: ptr(strInput("durations.csv", durations)), SkipBadRows: flags&1 != 0, MinMemoryMB: 128,
			Spread: "poisson"}
		if flags&2 != 0 {
			o.Spread = "uniform"
		}
		if flags&4 != 0 {
			o.From, o.To = time.Minute, 3*time.Minute
		}
		if memory != "" {
			o.Memory = ptr(strInput("memory.csv", memory))
		}
		if scale > 0 && scale <= 10 {
			o.Scale = scale
		}
		checkTrace(t, o)
	})
}
