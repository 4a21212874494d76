package workloads

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"

	"github.com/faasim/faasim/sim"
)

// DetectFormat guesses a trace's format from its header: HashFunction
// and minute columns (azure2019), end_timestamp (azure2021), else csv.
func DetectFormat(in Input) (string, error) {
	c, err := openCSV(in, false, nil)
	if err != nil {
		return "", err
	}
	defer c.close()
	switch {
	case c.col("HashFunction") >= 0 && c.col("Trigger") >= 0:
		return FormatAzure2019, nil
	case c.col("end_timestamp") >= 0:
		return FormatAzure2021, nil
	}
	return FormatCSV, nil
}

// TraceSummary describes a workload's shape.
type TraceSummary struct {
	Functions   int
	Invocations int64
	Span        sim.Time // from 0 to the end of the last arrival's minute
	MeanRate    float64  // per second over Span
	PeakRate    float64  // per second, in the busiest minute
	PeakToMean  float64
	GapCV       float64 // coefficient of variation of inter-arrival times
	// RareShare is the share of functions called less than once an hour
	// on average over Span.
	RareShare float64
	// Execution times, seconds; the quantiles within 1% (DDSketch).
	ExecMean, ExecP50, ExecP99, ExecMax float64
}

// Summarize reads src to its end: memory is per minute of span and per
// function, never per invocation.
func Summarize(src Source, functions int) (TraceSummary, error) {
	s := TraceSummary{Functions: functions}
	perFn := make([]int64, functions)
	var perMin []int64
	sk, _ := ddsketch.NewDefaultDDSketch(0.01)
	var prev sim.Time
	var gaps, gsum, gsum2, esum float64
	var inv Invocation
	for src.Next(&inv) {
		m := int(inv.At / sim.Time(60e9))
		for len(perMin) <= m {
			perMin = append(perMin, 0)
		}
		perMin[m]++
		perFn[inv.Fn]++
		if s.Invocations > 0 {
			g := float64(inv.At - prev)
			gaps++
			gsum += g
			gsum2 += g * g
		}
		prev = inv.At
		s.Invocations++
		e := inv.Exec.Seconds()
		esum += e
		s.ExecMax = math.Max(s.ExecMax, e)
		if e > 0 {
			sk.Add(e)
		}
	}
	if err := src.Err(); err != nil {
		return s, err
	}
	if s.Invocations == 0 {
		return s, nil
	}
	s.Span = sim.Time(len(perMin)) * sim.Time(60e9)
	s.MeanRate = float64(s.Invocations) / s.Span.Seconds()
	var peak int64
	for _, c := range perMin {
		peak = max(peak, c)
	}
	s.PeakRate = float64(peak) / 60
	s.PeakToMean = s.PeakRate / s.MeanRate
	if gaps > 1 && gsum > 0 {
		m := gsum / gaps
		s.GapCV = math.Sqrt(math.Max(gsum2/gaps-m*m, 0)) / m
	}
	hours := s.Span.Hours()
	var rare int
	for _, c := range perFn {
		if float64(c)/hours < 1 {
			rare++
		}
	}
	s.RareShare = float64(rare) / float64(functions)
	s.ExecMean = esum / float64(s.Invocations)
	if sk.GetCount() > 0 {
		s.ExecP50, _ = sk.GetValueAtQuantile(0.5)
		s.ExecP99, _ = sk.GetValueAtQuantile(0.99)
	}
	return s, nil
}
