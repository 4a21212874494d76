package sweep

import (
	"math"
	"slices"
)

// The searches behind goals, on a small interface: a prober evaluates some
// values of the goal's key at once (in parallel) and says, for each, the
// goal's state there: for find: min and max 1 where every constraint is
// met and 0 where one fails; for find: root the sign of the expression
// (-1, 0, +1). The searches know nothing else, so they are tested on plain
// functions (search_test.go).

type prober func(values []float64) ([]int, error)

// domain is where a goal searches: [lo, hi], integers or reals, evenly or
// on a log scale; reals are searched to a relative tolerance.
type domain struct {
	lo, hi  float64
	integer bool
	log     bool
	tol     float64
	// duration: the values are nanoseconds of a duration, searched as
	// reals but each rounded to a whole nanosecond and to the digits the
	// tolerance needs (roundDuration), so the scenario reads 37m12.3s.
	duration bool
}

// Sizes of the searches. initialProbes spread over the range tell the
// direction of the constraints and whether they change more than once (not
// monotone); a scan then evaluates scanInts integers (all of them when
// there are fewer) or scanReals reals.
const (
	initialProbes = 5
	scanInts      = 65
	scanReals     = 33
	maxBisections = 60 // a real range 2^60 times narrower than it started is the tolerance of any goal
)

// mid is the midpoint of a and b (geometric on a log scale), an integer
// strictly between them for integers (b - a >= 2).
func (d domain) mid(a, b float64) float64 {
	m := (a + b) / 2
	if d.log {
		m = math.Sqrt(a * b)
	}
	if d.duration {
		if r := d.round(m); r > a && r < b {
			return r
		}
		return math.Round(m) // closer ends than the digits show; close stops at 1 ns
	}
	if !d.integer {
		return clean(m)
	}
	m = math.Floor(m)
	if m <= a {
		m = a + 1
	}
	if m >= b {
		m = b - 1
	}
	return m
}

// close reports whether a bracket [a, b] is as narrow as the goal wants:
// adjacent integers, or reals within the relative tolerance.
func (d domain) close(a, b float64) bool {
	if d.integer || d.duration && b-a <= 1 {
		return b-a <= 1
	}
	return b-a <= d.tol*math.Max(math.Abs(a), math.Abs(b))
}

// grid is n values from lo to hi, both included (geometric on a log scale);
// for integers, rounded and without duplicates, and every integer when
// there are no more than n.
func (d domain) grid(n int) []float64 {
	if d.integer && d.hi-d.lo+1 <= float64(n) {
		var out []float64
		for x := d.lo; x <= d.hi; x++ {
			out = append(out, x)
		}
		return out
	}
	var out []float64
	for i := range n {
		f := float64(i) / float64(n-1)
		x := d.lo + f*(d.hi-d.lo)
		if d.log {
			x = math.Exp(math.Log(d.lo) + f*(math.Log(d.hi)-math.Log(d.lo)))
		}
		switch {
		case i == 0:
			x = d.lo
		case i == n-1:
			x = d.hi
		}
		switch {
		case d.integer:
			x = math.Round(x)
		case d.duration:
			x = d.round(x)
		default:
			x = clean(x)
		}
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// round is a duration's value as the search tries it: durationDigits
// significant digits, or more when the tolerance asks for them (the
// answer's digits), and a whole nanosecond.
func (d domain) round(x float64) float64 {
	return roundDuration(x, max(durationDigits, digits(d.tol)))
}

// found is what a search concluded.
type found struct {
	ok     bool    // an answer exists in the domain
	answer float64 // the answer (min/max), or the root bracket's far end
	// bracket is the neighbour that fails and the answer (min/max), or
	// the two ends of the root's bracket; set when bracketed.
	bracket   [2]float64
	bracketed bool
	monotone  bool
	scanned   bool
	roots     int // root: sign changes seen (more than 1: not monotone)
}

// changes counts the state changes along values (sorted).
func changes(st []int) int {
	n := 0
	for i := 1; i < len(st); i++ {
		if st[i] != st[i-1] {
			n++
		}
	}
	return n
}

// bisect narrows [a, b], whose ends have different states (sa at a), to
// the goal's precision, and returns the last bracket. A state equal to
// sa moves a; any other moves b; a root's exact zero ends it there.
func bisect(d domain, a, b float64, sa int, root bool, probe prober) (float64, float64, error) {
	for i := 0; i < maxBisections && !d.close(a, b); i++ {
		m := d.mid(a, b)
		st, err := probe([]float64{m})
		if err != nil {
			return 0, 0, err
		}
		switch {
		case root && st[0] == 0:
			return m, m, nil
		case st[0] == sa:
			a = m
		default:
			b = m
		}
	}
	return a, b, nil
}

// searchBound finds the smallest (largest false) or largest value where
// the state is 1, assuming it changes at most once along the domain. When
// the initial probes see it change more than once (not monotone), or a
// scan is asked for, it scans, and then bisects only the bracket around
// the first (last) value the scan found meeting the goal.
func searchBound(d domain, largest, scan bool, probe prober) (found, error) {
	vals := d.grid(initialProbes)
	st, err := probe(vals)
	if err != nil {
		return found{}, err
	}
	f := found{monotone: changes(st) <= 1}
	if scan || !f.monotone {
		f.scanned = true
		vals = merge(vals, d.grid(scanSize(d)))
		if st, err = probe(vals); err != nil {
			return found{}, err
		}
		f.monotone = f.monotone && changes(st) <= 1
	}
	k, nb := slices.Index(st, 1), -1 // the answer, and its neighbour on the failing side
	if largest {
		k = lastIndex(st, 1)
	}
	if k < 0 {
		return f, nil
	}
	f.ok, f.answer = true, vals[k]
	switch {
	case !largest && k > 0:
		nb = k - 1
	case largest && k < len(vals)-1:
		nb = k + 1
	default:
		return f, nil // met at the end of the domain: no neighbour inside it
	}
	lo, hi, sLo := vals[nb], vals[k], 0 // min: the failing value is below
	if largest {
		lo, hi, sLo = vals[k], vals[nb], 1
	}
	if lo, hi, err = bisect(d, lo, hi, sLo, false, probe); err != nil {
		return found{}, err
	}
	f.bracketed = true
	if largest {
		f.answer, f.bracket = lo, [2]float64{hi, lo}
	} else {
		f.answer, f.bracket = hi, [2]float64{lo, hi}
	}
	return f, nil
}

// searchRoot finds where the expression's sign changes: the first change
// along the domain, bisected to the goal's precision.
func searchRoot(d domain, scan bool, probe prober) (found, error) {
	vals := d.grid(initialProbes)
	st, err := probe(vals)
	if err != nil {
		return found{}, err
	}
	f := found{roots: signChanges(st)}
	f.monotone = f.roots <= 1
	if scan || !f.monotone {
		f.scanned = true
		vals = merge(vals, d.grid(scanSize(d)))
		if st, err = probe(vals); err != nil {
			return found{}, err
		}
		f.roots = max(f.roots, signChanges(st))
	}
	for i, s := range st {
		if s == 0 {
			f.ok, f.answer, f.bracket, f.bracketed = true, vals[i], [2]float64{vals[i], vals[i]}, true
			return f, nil
		}
		if i > 0 && s != st[i-1] {
			a, b, err := bisect(d, vals[i-1], vals[i], st[i-1], true, probe)
			if err != nil {
				return found{}, err
			}
			f.ok, f.answer, f.bracket, f.bracketed = true, b, [2]float64{a, b}, true
			return f, nil
		}
	}
	return f, nil
}

// signChanges counts the sign changes of a sequence of signs, a zero
// counting as one.
func signChanges(st []int) int {
	n := 0
	for i, s := range st {
		if s == 0 || i > 0 && s != st[i-1] && st[i-1] != 0 {
			n++
		}
	}
	return n
}

func scanSize(d domain) int {
	if d.integer {
		return scanInts
	}
	return scanReals
}

// merge is the sorted union of two sorted lists.
func merge(a, b []float64) []float64 {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func lastIndex(st []int, v int) int {
	for i := len(st) - 1; i >= 0; i-- {
		if st[i] == v {
			return i
		}
	}
	return -1
}
