package reports

// fleetRows adds the rows of scaled server fleets (billed and idle
// instance-hours, scaling activities), only when a system has them, so
// tables without one are unchanged.
func fleetRows(r *Results, row func(string, func(s *SystemResult) string)) {
	any := false
	for i := range r.Systems {
		any = any || r.Systems[i].Instances.FleetResult != nil
	}
	if !any {
		return
	}
	fleet := func(f func(*FleetResult) string) func(s *SystemResult) string {
		return func(s *SystemResult) string {
			if s.Instances.FleetResult == nil {
				return "-"
			}
			return f(s.Instances.FleetResult)
		}
	}
	row("instance-hours billed", fleet(func(f *FleetResult) string { return num(f.BilledSeconds / 3600) }))
	row("instance-hours idle", fleet(func(f *FleetResult) string { return num(f.IdleSeconds / 3600) }))
	row("scale-outs / scale-ins", fleet(func(f *FleetResult) string { return count(int64(f.ScaleOuts)) + " / " + count(int64(f.ScaleIns)) }))
}
