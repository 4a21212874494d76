package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// This file parses and evaluates expressions over metrics with
// github.com/expr-lang/expr (a maintained expression language with a typed
// compiler and good error positions), never a parser of our own:
//
//   - constraints, one comparison: "latency_ms.p99 < 300",
//     "rejected_ratio + timed_out_ratio <= 0.001" (a scenario's slo:), or with
//     a system prefix "vms.latency_ms.p99 < 200" (a sweep goal's subject_to);
//   - numeric expressions: "lambda.cost_usd.total - vms.cost_usd.total" (a
//     goal's find: root).
//
// A metric is a results.json path of a system object (Metrics); with a
// prefix, SYSTEM.PATH, and a system whose name is not an identifier is
// written $env["fleet-peak"].cost_usd.total. Names are checked when the
// expression is compiled; arithmetic (+ - * / % **), parentheses, numbers
// and abs, min, max, ceil, floor, round are allowed.

// Ref is one metric an expression reads.
type Ref struct {
	System string // "" in an expression without system prefixes
	Path   string // "latency_ms.p99"
}

func (r Ref) String() string {
	if r.System == "" {
		return r.Path
	}
	return r.System + "." + r.Path
}

// Lookup gives the value of a metric; false where the system does not have
// it (latencies without a completed request, a figure of another type).
type Lookup func(r Ref) (float64, bool)

// Expr is a compiled expression over metrics.
type Expr struct {
	src  string
	refs []Ref
	// op is the comparison of a constraint ("<", "<=", ">", ">="); "" for
	// a numeric expression.
	op string
	// prog computes the value of a numeric expression, or the margin of a
	// constraint: right - left for < and <=, left - right for > and >=, so
	// the constraint holds when the margin is > 0 (strict) or >= 0.
	prog *vm.Program
	// sides are a constraint's left and right expressions as written, and
	// their programs (for evidence: "latency_ms.p99 is 412.3").
	sides [2]string
	side  [2]*vm.Program
}

// ErrMissing is the error of evaluating an expression that reads a metric
// the system does not have.
var ErrMissing = errors.New("metric not available")

// ParseConstraint compiles one comparison over metrics. systems nil: paths
// without a prefix (slo:); else every metric is SYSTEM.PATH with SYSTEM
// one of systems (goal.subject_to).
func ParseConstraint(src string, systems []string) (*Expr, error) {
	return compile(src, systems, true)
}

// ParseExpr compiles a numeric expression over metrics (find: root).
func ParseExpr(src string, systems []string) (*Expr, error) {
	return compile(src, systems, false)
}

func (e *Expr) String() string { return e.src }

// Refs are the metrics the expression reads, in order of appearance, each once.
func (e *Expr) Refs() []Ref { return slices.Clone(e.refs) }

// IsConstraint reports whether e is a comparison (ParseConstraint).
func (e *Expr) IsConstraint() bool { return e.op != "" }

// Strict: a constraint with < or >, which a zero margin does not meet.
func (e *Expr) Strict() bool { return e.op == "<" || e.op == ">" }

// Eval is a numeric expression's value, or a constraint's margin (how far
// it holds: > 0 holds, and = 0 holds unless Strict; in the metrics' units,
// so a sweep can put a confidence interval on it). A metric lookup
// misses: ErrMissing, naming it.
func (e *Expr) Eval(look Lookup) (float64, error) { return e.run(e.prog, look) }

func (e *Expr) run(prog *vm.Program, look Lookup) (float64, error) {
	env := make(map[string]any, len(e.refs))
	for i, r := range e.refs {
		v, ok := look(r)
		if !ok {
			return math.NaN(), fmt.Errorf("%s: %w", r, ErrMissing)
		}
		env[ident(i)] = v
	}
	out, err := expr.Run(prog, env)
	if err != nil {
		return math.NaN(), fmt.Errorf("%s: %v", e.src, err)
	}
	v, ok := out.(float64)
	if !ok {
		return math.NaN(), fmt.Errorf("%s: value %v is not a number", e.src, out)
	}
	return v, nil
}

// Sides are a constraint's left and right values.
func (e *Expr) Sides(look Lookup) (left, right float64, err error) {
	if !e.IsConstraint() {
		return math.NaN(), math.NaN(), fmt.Errorf("%s: not a constraint", e.src)
	}
	var v [2]float64
	for k, p := range e.side {
		if v[k], err = e.run(p, look); err != nil {
			return math.NaN(), math.NaN(), err
		}
	}
	return v[0], v[1], nil
}

// explain says why a constraint does not hold for look, with the values:
// "latency_ms.p99 is 412.3 (want < 300)".
func (e *Expr) explain(look Lookup, err error) string {
	if err != nil {
		return fmt.Sprintf("%s (%v)", e.src, err)
	}
	l, r, err := e.Sides(look)
	if err != nil {
		return fmt.Sprintf("%s (%v)", e.src, err)
	}
	_, lerr := strconv.ParseFloat(e.sides[0], 64)
	_, rerr := strconv.ParseFloat(e.sides[1], 64)
	switch {
	case rerr == nil: // metric op number
		return fmt.Sprintf("%s is %s (want %s %s)", e.sides[0], short(l), e.op, e.sides[1])
	case lerr == nil: // number op metric
		flip := map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[e.op]
		return fmt.Sprintf("%s is %s (want %s %s)", e.sides[1], short(r), flip, e.sides[0])
	}
	return fmt.Sprintf("%s is %s, %s is %s (want %s)", e.sides[0], short(l), e.sides[1], short(r), e.src)
}

// Holds reports whether a constraint holds, with its margin.
func (e *Expr) Holds(look Lookup) (bool, float64, error) {
	m, err := e.Eval(look)
	if err != nil {
		return false, m, err
	}
	return m > 0 || m == 0 && !e.Strict(), m, nil
}

// ForSystem looks metrics up in s, for expressions without a prefix.
func ForSystem(s *SystemResult) Lookup {
	return func(r Ref) (float64, bool) { return s.Value(r.Path) }
}

// ForResults looks SYSTEM.PATH metrics up in r by system name.
func ForResults(r *Results) Lookup {
	return func(ref Ref) (float64, bool) {
		for i := range r.Systems {
			if r.Systems[i].Name == ref.System {
				return r.Systems[i].Value(ref.Path)
			}
		}
		return 0, false
	}
}

// ident is the variable standing for the i-th metric in the compiled
// program (metric paths are not identifiers).
func ident(i int) string { return "m" + strconv.Itoa(i) }

// builtins are the functions an expression may call.
var builtins = []string{"abs", "ceil", "floor", "max", "min", "round"}

var comparisons = []string{"<", "<=", ">", ">="}

func compile(src string, systems []string, constraint bool) (*Expr, error) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, exprError(err)
	}
	e := &Expr{src: src}
	c := &checker{systems: systems, index: map[string]int{}}
	node := tree.Node
	if constraint {
		b, ok := node.(*ast.BinaryNode)
		if !ok || !slices.Contains(comparisons, b.Operator) {
			return nil, errors.New("want one comparison like latency_ms.p99 < 300 (with <, <=, > or >=); give each constraint its own list entry")
		}
		e.op = b.Operator
		c.check(b.Left)
		c.check(b.Right)
	} else {
		c.check(node)
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	if len(c.refs) == 0 {
		return nil, errors.New("reads no metric; want an expression over metrics like latency_ms.p99")
	}
	e.refs = c.refs
	env := map[string]any{}
	for i := range c.refs {
		env[ident(i)] = 0.0
	}
	opts := []expr.Option{expr.Env(env), expr.Patch(&renamer{c}), expr.AsFloat64(), expr.DisableAllBuiltins()}
	for _, b := range builtins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	// Each program is a float64 expression (a metric is a float64).
	build := func(src string) (*vm.Program, error) {
		p, err := expr.Compile(src, opts...)
		if err != nil {
			return nil, exprError(err)
		}
		return p, nil
	}
	if !constraint {
		if e.prog, err = build(src); err != nil {
			return nil, err
		}
		return e, nil
	}
	b := node.(*ast.BinaryNode)
	e.sides = [2]string{b.Left.String(), b.Right.String()}
	for k, side := range e.sides {
		if e.side[k], err = build(side); err != nil {
			return nil, err
		}
	}
	l, r := e.sides[0], e.sides[1]
	if e.op == ">" || e.op == ">=" {
		l, r = r, l
	}
	if e.prog, err = build("(" + r + ") - (" + l + ")"); err != nil {
		return nil, err
	}
	return e, nil
}

// exprError is expr's error without its multi-line snippet.
func exprError(err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fmt.Errorf("%s at column %d", fe.Message, fe.Column+1)
	}
	return err
}

// checker walks an expression's tree, collecting the metrics it reads and
// what is wrong with it.
type checker struct {
	systems []string
	refs    []Ref
	index   map[string]int // dotted name -> refs index
	errs    []error
}

func (c *checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *checker) check(n ast.Node) {
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
	case *ast.IdentifierNode, *ast.MemberNode:
		name, ok := dotted(n)
		if !ok {
			c.fail("%s: want a metric name like latency_ms.p99", n)
			return
		}
		if _, seen := c.index[name]; seen {
			return
		}
		ref, err := c.resolve(name)
		if err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.index[name] = len(c.refs)
		c.refs = append(c.refs, ref)
	case *ast.UnaryNode:
		if n.Operator != "-" && n.Operator != "+" {
			c.fail("operator %q: want arithmetic (+ - * / %% **) over metrics and numbers", n.Operator)
			return
		}
		c.check(n.Node)
	case *ast.BinaryNode:
		switch n.Operator {
		case "+", "-", "*", "/", "%", "**", "^":
		case "<", "<=", ">", ">=", "==", "!=", "&&", "||", "and", "or":
			c.fail("%s: one comparison per constraint, with the metrics on either side; give each constraint its own list entry", n)
			return
		default:
			c.fail("operator %q: want arithmetic (+ - * / %% **) over metrics and numbers", n.Operator)
			return
		}
		c.check(n.Left)
		c.check(n.Right)
	case *ast.BuiltinNode:
		if !slices.Contains(builtins, n.Name) {
			c.fail("%s(): want one of the functions %s", n.Name, strings.Join(builtins, ", "))
			return
		}
		for _, a := range n.Arguments {
			c.check(a)
		}
	default:
		c.fail("%s: want arithmetic over metrics and numbers (a metric like latency_ms.p99, numbers, + - * / %% **, %s)", n, strings.Join(builtins, ", "))
	}
}

// dotted is the name of a chain of identifiers and members
// ("latency_ms.p99", `$env["fleet-peak"].cost_usd.total` as
// "fleet-peak.cost_usd.total").
func dotted(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if n.Value == "$env" {
			return "", true
		}
		return n.Value, true
	case *ast.MemberNode:
		head, ok := dotted(n.Node)
		prop, isStr := n.Property.(*ast.StringNode)
		if !ok || !isStr || n.Optional || n.Method {
			return "", false
		}
		if head == "" {
			return prop.Value, true
		}
		return head + "." + prop.Value, true
	}
	return "", false
}

// resolve checks a dotted name against the systems and the metric table.
func (c *checker) resolve(name string) (Ref, error) {
	var ref Ref
	path := name
	if c.systems != nil {
		sys, rest, ok := strings.Cut(name, ".")
		if !ok || !slices.Contains(c.systems, sys) {
			return ref, fmt.Errorf("%s: want SYSTEM.METRIC with SYSTEM one of %s (a name that is not an identifier: $env[\"NAME\"].METRIC)",
				name, strings.Join(c.systems, ", "))
		}
		ref.System, path = sys, rest
	}
	ref.Path = path
	if path == "slo_met" {
		return ref, fmt.Errorf("%s: the SLO's own verdict cannot be part of a constraint", name)
	}
	if _, ok := LookupMetric(path); ok {
		return ref, nil
	}
	return ref, fmt.Errorf("%s: unknown metric; %s", name, nearMetrics(path))
}

// nearMetrics lists the metrics beside an unknown path: those under its
// longest known prefix, else every top-level one.
func nearMetrics(path string) string {
	all := MetricPaths()
	for p := path; ; {
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
		var under []string
		for _, m := range all {
			if strings.HasPrefix(m, p+".") {
				under = append(under, m)
			}
		}
		if p+"." == breakdownPrefix {
			return "bill items are " + breakdownPrefix + "NAME, with NAME an item of cost_usd.breakdown"
		}
		if len(under) > 0 {
			return "metrics under " + p + ": " + strings.Join(under, ", ")
		}
	}
	return "metrics: " + strings.Join(all, ", ") + ", " + breakdownPrefix + "NAME"
}

// renamer replaces each metric reference with its variable in the
// compiled program. ast.Walk visits children first, so the inner links
// of a chain are seen before the whole chain; they are not metric names.
type renamer struct{ c *checker }

func (r *renamer) Visit(node *ast.Node) {
	switch (*node).(type) {
	case *ast.IdentifierNode, *ast.MemberNode:
		if name, ok := dotted(*node); ok {
			if i, found := r.c.index[name]; found {
				ast.Patch(node, &ast.IdentifierNode{Value: ident(i)})
			}
		}
	}
}

// short prints a value with four significant digits, in plain notation
// from 0.0001 up (29859, 412.3, 0.004187).
func short(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1e-4 || a == 0:
		return strconv.FormatFloat(v, 'f', max(0, 3-int(math.Floor(math.Log10(math.Max(a, 1e-300))))), 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Threshold reads a constraint that bounds one metric by a number
// ("latency_ms.p99 < 300", "0.001 >= vms.cold_start_ratio") as the metric,
// the comparison with the metric on the left ("<" for the second), and
// the number: the line a figure draws for it. false for any other
// constraint (sums, products, metrics on both sides).
func (e *Expr) Threshold() (ref Ref, op string, bound float64, ok bool) {
	if !e.IsConstraint() || len(e.refs) != 1 {
		return Ref{}, "", 0, false
	}
	// The metric's side is the metric itself when it passes its value
	// through unchanged.
	identity := func(p *vm.Program) bool {
		for _, v := range []float64{1, 2.5} {
			if out, err := expr.Run(p, map[string]any{ident(0): v}); err != nil || out != v {
				return false
			}
		}
		return true
	}
	flip := map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}
	if n, err := strconv.ParseFloat(e.sides[1], 64); err == nil && identity(e.side[0]) {
		return e.refs[0], e.op, n, true
	}
	if n, err := strconv.ParseFloat(e.sides[0], 64); err == nil && identity(e.side[1]) {
		return e.refs[0], flip[e.op], n, true
	}
	return Ref{}, "", 0, false
}
