package sweep

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Goal expressions are evaluated by expr-lang/expr over one replication's
// metrics: the environment maps each system's name to its results.json
// object (numbers only), so `vms.latency_ms.p99` is vms's p99 in that run.
//
// ADAPTER: issue 9 brings constraint expressions for `slo:` on the same
// library; when it lands, the compile step here calls its code and keeps
// only what is sweep-specific (SYSTEM. prefixes, per-replication slack).

// systemsInfo are the systems a goal may name, and each one's metric paths.
type systemsInfo struct {
	names []string
	paths map[string]map[string]bool // system -> metric paths
}

// newSystemsInfo lists the metrics each system of sc reports: the numeric
// fields of a results.json object of its type, with every optional part
// present (keep_alive for FaaS, the fleet figures for servers, one entry
// per function when there are several).
func newSystemsInfo(sc *scenarios.Scenario) *systemsInfo {
	info := &systemsInfo{paths: map[string]map[string]bool{}}
	for _, sys := range sc.Systems {
		proto := reports.SystemResult{Name: sys.Name, Type: sys.Type}
		if sys.Type == "faas" {
			proto.KeepAlive = &reports.KeepAliveResult{}
		} else {
			proto.Instances.FleetResult = &reports.FleetResult{}
		}
		if len(sc.Functions) > 1 {
			proto.FunctionColdStartP75 = 1 // omitted when 0
			for _, f := range sc.Functions {
				proto.Functions = append(proto.Functions, reports.FunctionResult{Name: f.Name, CostUSD: 1, IdleInstanceSeconds: 1, IdleGBSeconds: 1})
			}
		}
		set := map[string]bool{}
		for _, pv := range reports.NumericPaths(&proto) {
			set[pv.Path] = true
		}
		info.names = append(info.names, sys.Name)
		info.paths[sys.Name] = set
	}
	return info
}

// has reports whether path is a metric of system (any cost breakdown line
// is: which lines a bill has depends on the run).
func (si *systemsInfo) has(system, path string) bool {
	return si.paths[system][path] || strings.HasPrefix(path, "cost_usd.breakdown.") && strings.Count(path, ".") == 2
}

// metricsOf lists a system's metrics for a message.
func (si *systemsInfo) metricsOf(system string) string {
	var l []string
	for p := range si.paths[system] {
		if !strings.Contains(p, "[") {
			l = append(l, p)
		}
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}

// expression is a compiled numeric expression over SYSTEM.PATH metrics.
type expression struct {
	src  string
	prog *vm.Program
	refs []ref // the metrics it reads
}

type ref struct{ system, path string }

func (r ref) String() string { return r.system + "." + r.path }

// notIdent matches a system name that expr cannot read as an identifier.
var notIdent = regexp.MustCompile(`[^A-Za-z0-9_]|^[0-9]`)

// quoteSystems rewrites NAME. into $env["NAME"]. for system names that are
// not identifiers (lambda-256), longest names first.
func quoteSystems(src string, names []string) string {
	odd := slices.Clone(names)
	odd = slices.DeleteFunc(odd, func(n string) bool { return !notIdent.MatchString(n) })
	sort.Slice(odd, func(i, j int) bool { return len(odd[i]) > len(odd[j]) })
	for _, n := range odd {
		re := regexp.MustCompile(`(^|[^A-Za-z0-9_."'\]])` + regexp.QuoteMeta(n) + `\.`)
		src = re.ReplaceAllString(src, `${1}$$env[`+fmt.Sprintf("%q", n)+`].`)
	}
	return src
}

// compileExpr compiles src, a numeric expression whose names are SYSTEM.PATH
// metrics; problems are reported at where.
func compileExpr(src, where string, si *systemsInfo) (*expression, error) {
	q := quoteSystems(src, si.names)
	tree, err := parser.Parse(q)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not an expression: %v", where, src, firstLine(err))
	}
	refs, err := metricRefs(tree.Node, si)
	if err != nil {
		return nil, fmt.Errorf("%s: %q: %v", where, src, err)
	}
	prog, err := expr.Compile(q)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not an expression: %v", where, src, firstLine(err))
	}
	return &expression{src: src, prog: prog, refs: refs}, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// metricRefs checks that every name in n is SYSTEM.PATH with a known system
// and metric, and lists them in order of appearance.
func metricRefs(n ast.Node, si *systemsInfo) ([]ref, error) {
	v := &refVisitor{inner: map[ast.Node]bool{}}
	ast.Walk(&n, v)
	var refs []ref
	for _, c := range v.chains {
		if v.inner[c.node] {
			continue
		}
		if len(c.parts) < 2 || !slices.Contains(si.names, c.parts[0]) {
			return nil, fmt.Errorf("%s is not a metric; want SYSTEM.PATH with SYSTEM one of %s (like %s.latency_ms.p99)",
				strings.Join(c.parts, "."), strings.Join(si.names, ", "), si.names[0])
		}
		r := ref{system: c.parts[0], path: strings.Join(c.parts[1:], ".")}
		if !si.has(r.system, r.path) {
			return nil, fmt.Errorf("%s is not a metric of system %s; its metrics: %s", r, r.system, si.metricsOf(r.system))
		}
		refs = append(refs, r)
	}
	return refs, nil
}

type chain struct {
	node  ast.Node
	parts []string
}

// refVisitor collects the name chains (a.b.c) of an expression; inner
// marks chains that are part of a longer one.
type refVisitor struct {
	chains []chain
	inner  map[ast.Node]bool
}

func (v *refVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if n.Value != "$env" {
			v.chains = append(v.chains, chain{n, []string{n.Value}})
		}
	case *ast.MemberNode:
		v.inner[n.Node] = true
		if parts, ok := chainParts(n); ok {
			v.chains = append(v.chains, chain{n, parts})
		}
	}
}

// chainParts reads a.b.c (or $env["a-b"].c) into its names.
func chainParts(n ast.Node) ([]string, bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if n.Value == "$env" {
			return nil, true
		}
		return []string{n.Value}, true
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return nil, false
		}
		head, ok := chainParts(n.Node)
		if !ok {
			return nil, false
		}
		return append(head, prop.Value), true
	}
	return nil, false
}

// eval computes the expression on replication r of a point.
func (e *expression) eval(env map[string]any) (float64, error) {
	out, err := expr.Run(e.prog, env)
	if err != nil {
		return 0, fmt.Errorf("%q: %v", e.src, firstLine(err))
	}
	if f, ok := number(out); ok {
		return f, nil
	}
	return 0, fmt.Errorf("%q gives %v, not a number", e.src, out)
}

// constraint is LEFT op RIGHT, judged on the confidence interval of
// LEFT − RIGHT over the replications.
type constraint struct {
	src         string
	where       string
	left, right *expression
	op          string
}

var comparisons = []string{"<", "<=", ">", ">="}

func compileConstraint(src, where string, si *systemsInfo) (*constraint, error) {
	q := quoteSystems(src, si.names)
	tree, err := parser.Parse(q)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not an expression: %v", where, src, firstLine(err))
	}
	b, ok := tree.Node.(*ast.BinaryNode)
	if !ok || !slices.Contains(comparisons, b.Operator) {
		return nil, fmt.Errorf("%s: %q: want one comparison (<, <=, > or >=) like vms.latency_ms.p99 < 200; list several constraints for and", where, src)
	}
	c := &constraint{src: src, where: where, op: b.Operator}
	for _, side := range []struct {
		n  ast.Node
		to **expression
	}{{b.Left, &c.left}, {b.Right, &c.right}} {
		refs, err := metricRefs(side.n, si)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", where, src, err)
		}
		prog, err := expr.Compile(side.n.String())
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not an expression: %v", where, src, firstLine(err))
		}
		*side.to = &expression{src: side.n.String(), prog: prog, refs: refs}
	}
	if len(c.left.refs)+len(c.right.refs) == 0 {
		return nil, fmt.Errorf("%s: %q names no metric; want SYSTEM.PATH on one side, like vms.latency_ms.p99 < 200", where, src)
	}
	return c, nil
}

// env is replication r's metrics at point p, as expr reads them: system
// name -> nested maps along each metric's path ("functions[api].x" is
// functions -> api -> x). A cost breakdown line the bill lacks is 0.
func env(p *reports.SweepPoint, r int, refs []ref) map[string]any {
	out := map[string]any{}
	for _, s := range p.Systems {
		m := map[string]any{}
		for _, mt := range s.Metrics {
			if r < len(mt.Values) {
				putPath(m, mt.Path, mt.Values[r])
			}
		}
		out[s.Name] = m
	}
	for _, rf := range refs {
		m, ok := out[rf.system].(map[string]any)
		if !ok || !strings.HasPrefix(rf.path, "cost_usd.breakdown.") {
			continue
		}
		if _, has := p.System(rf.system).Metric(rf.path); !has {
			putPath(m, rf.path, 0)
		}
	}
	return out
}

func putPath(m map[string]any, path string, v float64) {
	parts := strings.FieldsFunc(path, func(c rune) bool { return c == '.' || c == '[' || c == ']' })
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// missing reports the first metric an expression needs that a point lacks
// (a figure the system does not report in this run).
func missing(refs []ref, p *reports.SweepPoint) error {
	for _, r := range refs {
		s := p.System(r.system)
		if s == nil {
			return fmt.Errorf("%s: no system %s at this point", r, r.system)
		}
		if _, ok := s.Metric(r.path); !ok && !strings.HasPrefix(r.path, "cost_usd.breakdown.") {
			return fmt.Errorf("%s: system %s does not report %s (it is not that kind of system, or the figure is absent in this run)", r, r.system, r.path)
		}
	}
	return nil
}
