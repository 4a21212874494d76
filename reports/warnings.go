package reports

// Warning says why a system's figures may not mean what they seem.
type Warning struct {
	Code    string `json:"code"` // saturated | unfinished | few_samples | failing | slo (and top-level codes)
	Message string `json:"message"`
}

// Assess judges every system of r by the scenario's SLO (nil: none),
// setting slo_met, and records the SLO in r.
func Assess(r *Results, slo []*Expr) {
	r.SLO = nil
	for _, c := range slo {
		r.SLO = append(r.SLO, c.String())
	}
	for i := range r.Systems {
		s := &r.Systems[i]
		s.SLOMet = nil
		if slo == nil {
			continue
		}
		met := true
		for _, c := range slo {
			ok, _, _ := c.Holds(ForSystem(s)) // a metric s lacks: not met
			met = met && ok
		}
		s.SLOMet = &met
	}
}
