package sweep

import (
	"math"
	"strconv"
	"time"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Axis is one key a sweep varies, with its values.
type Axis struct {
	Key    string // key path, as written
	Where  string // where it is written, for messages
	Values []any
	Zip    int // axes with the same zip number (from 1) advance together; 0: none
	// Rounded: a range gave non-integers for a key that takes integers;
	// Values are rounded and duplicates dropped.
	Rounded bool
	// Labels name the values in the table and sentences (valueLabels);
	// nil when each value is its own name.
	Labels []string
}

// valueLabels are the names of an axis's values: the scenario's labels,
// and for the others, when any value is a sub-object or has a label, short
// ones made from what tells the sub-objects apart (reports.AutoLabels);
// nil when every value is a number or a string without a label.
func valueLabels(values []any, given []string) []string {
	need := given != nil
	for _, v := range values {
		switch v.(type) {
		case map[string]any, []any:
			need = true
		}
	}
	if !need {
		return nil
	}
	out := reports.AutoLabels(values)
	for i, l := range given {
		if l != "" {
			out[i] = l
		}
	}
	return out
}

// rangeValues expands a range: steps evenly spaced values (geometrically
// with log), or from, from+step, ... <= to, or every integer from..to.
// Values are rounded to 12 significant digits, so 0.1·3 is 0.3 and a log
// scale from 1 to 1000 in 4 steps is exactly 1, 10, 100, 1000.
//
// A range of durations is computed in nanoseconds, each value rounded to
// durationDigits significant digits and to a whole nanosecond, and written
// as a duration ("3m18.587s").
func rangeValues(r *scenarios.RangeSpec) []any {
	var out []any
	add := func(x float64) {
		if r.Duration {
			out = append(out, durationValue(x, durationDigits))
			return
		}
		x = clean(x)
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			out = append(out, int64(x))
		} else {
			out = append(out, x)
		}
	}
	switch {
	case r.From == r.To:
		add(r.From)
	case r.Steps > 0:
		for i := range r.Steps {
			f := float64(i) / float64(r.Steps-1)
			switch {
			case i == r.Steps-1:
				add(r.To)
			case r.Log:
				add(math.Exp(math.Log(r.From) + f*(math.Log(r.To)-math.Log(r.From))))
			default:
				add(r.From + f*(r.To-r.From))
			}
		}
	case r.Step > 0:
		for i := 0; ; i++ {
			x := r.From + float64(i)*r.Step
			if x > r.To+1e-9*math.Abs(r.Step) {
				break
			}
			add(x)
		}
	default:
		for x := r.From; x <= r.To; x++ {
			add(x)
		}
	}
	return out
}

// durationDigits are the significant digits of a duration a range or a
// search makes: 3m18.587s, not 3m18.587330105s (a search of a finer
// tolerance keeps more, digits(tol)).
const durationDigits = 6

// durationValue is x nanoseconds rounded to n significant digits and a
// whole nanosecond, as a scenario writes a duration.
func durationValue(x float64, n int) string {
	return scenarios.FormatDuration(time.Duration(roundDuration(x, n)))
}

// roundDuration rounds x nanoseconds to n significant digits and a whole
// nanosecond.
func roundDuration(x float64, n int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return math.Round(v)
}

// clean rounds x to 12 significant digits.
func clean(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return v
}

// number is a value's numeric form, if it has one.
func number(v any) (float64, bool) { return scenarios.Number(v) }

// roundToIntegers rounds the numeric values of an axis and drops the
// duplicates rounding makes, keeping the first.
func roundToIntegers(values []any) []any {
	var out []any
	seen := map[int64]bool{}
	for _, v := range values {
		f, ok := number(v)
		if !ok {
			out = append(out, v)
			continue
		}
		n := int64(math.Round(f))
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// unit is what the grid advances as one digit: a single axis, or a zip
// group of axes with equal lengths.
type unit struct {
	axes []int // indices into the axes
	n    int   // length
}

// grid lays out every combination of the units, the first unit slowest:
// point i has digit (i / Π_{later} n) mod n_u of unit u.
func grid(axes []Axis) ([]unit, int) {
	var units []unit
	byZip := map[int]int{} // zip number -> unit index
	for i, a := range axes {
		if a.Zip > 0 {
			if u, ok := byZip[a.Zip]; ok {
				units[u].axes = append(units[u].axes, i)
				continue
			}
			byZip[a.Zip] = len(units)
		}
		units = append(units, unit{axes: []int{i}, n: len(a.Values)})
	}
	total := 1
	for _, u := range units {
		total *= u.n
	}
	return units, total
}

// params are the axis values of point i, in axis order.
func params(axes []Axis, units []unit, i int) reports.Params {
	ps := make(reports.Params, len(axes))
	for k := len(units) - 1; k >= 0; k-- {
		u := units[k]
		d := i % u.n
		i /= u.n
		for _, a := range u.axes {
			ps[a] = reports.Param{Key: axes[a].Key, Value: axes[a].Values[d]}
		}
	}
	return ps
}
