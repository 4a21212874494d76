package scenarios

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// TestPurchaseProblems: purchase options are checked like any section,
// each problem at its key path.
func TestPurchaseProblems(t *testing.T) {
	const vms = "{name: v, platform: aws-ec2-m5.large, instances: 2, "
	const t3 = "{name: v, platform: aws-ec2-t3.large, instances: 2, "
	for _, tt := range []struct {
		name, system, path string
		msg                []string
	}{
		{"unknown option", vms + "purchase: hourly}", "systems[0].purchase.option",
			[]string{`"hourly" is not offered on platform aws-ec2-m5.large`, "savings-plan-1y | savings-plan-3y | reserved-1y"}},
		{"spot needs a discount", vms + "purchase: spot}", "systems[0].purchase.discount",
			[]string{"platform aws-ec2-m5.large has no sourced discount for spot", "Spot Instance Advisor"}},
		{"no discount in the catalogue", t3 + "purchase: reserved-3y}", "systems[0].purchase.discount",
			[]string{"no sourced discount for reserved-3y", "pricing pages"}},
		{"discount of 1", vms + "purchase: {option: spot, discount: 1}}", "systems[0].purchase.discount", []string{"below 1"}},
		{"Fargate has no reserved instances", "{name: f, platform: aws-fargate-x86, instances: 1, purchase: {option: reserved-1y, discount: 0.3}}",
			"systems[0].purchase.option", []string{"not offered on platform aws-fargate-x86", "on-demand | savings-plan-1y | savings-plan-3y | spot"}},
		{"no Fargate Spot on Arm", "{name: f, platform: aws-fargate-arm, instances: 1, purchase: {option: spot, discount: 0.6}}",
			"systems[0].purchase.option", []string{"not offered on platform aws-fargate-arm"}},
		{"Cloud Run is on demand here", "{name: c, platform: gcp-cloud-run, purchase: {option: savings-plan-1y, discount: 0.17}}",
			"systems[0].purchase.option", []string{"not offered on platform gcp-cloud-run; want on-demand"}},
		{"spot Lambda", "{name: l, platform: aws-lambda-x86, purchase: {option: spot, discount: 0.5}}",
			"systems[0].purchase.option", []string{"not offered on platform aws-lambda-x86"}},
		{"interruptions are spot's", vms + "purchase: {option: savings-plan-1y, interruption: {every: 720h}}}", "systems[0].purchase.interruption",
			[]string{"only spot instances are interrupted"}},
		{"spot has no commitment", vms + "purchase: {option: spot, discount: 0.6, committed_instances: 2}}", "systems[0].purchase.committed_instances",
			[]string{"spot has no commitment"}},
		{"interruption needs every", vms + "purchase: {option: spot, discount: 0.6, interruption: {notice: 1m}}}", "systems[0].purchase.interruption.every",
			[]string{"missing"}},
		{"a FaaS plan has no committed instances", "{name: l, platform: aws-lambda-x86, purchase: {option: savings-plan-1y, committed_instances: 3}}",
			"systems[0].purchase.committed_instances", []string{"takes no committed_instances"}},
		{"on demand takes no discount", vms + "purchase: {option: on-demand, discount: 0.2}}", "systems[0].purchase.discount", []string{"on-demand takes no discount"}},
		{"bad purchase_discounts", vms + "purchase_discounts: {savings-plan-5y: 0.8}}", "systems[0].purchase_discounts.savings-plan-5y",
			[]string{"unknown purchase option"}},
		{"not a map", vms + "purchase: [spot]}", "systems[0].purchase", []string{"want an option"}},
		{"interruptions a millisecond apart", vms + "purchase: {option: spot, discount: 0.6, interruption: {every: 1ms}}}", "systems[0].purchase.interruption.every",
			[]string{"too short", "at least 1s"}},
		{"a commitment beyond any fleet", vms + "purchase: {option: savings-plan-1y, committed_instances: 1e7}}", "systems[0].purchase.committed_instances",
			[]string{"too large"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, "s.yaml", head+"systems: ["+tt.system+"]\n"), tt.path, tt.msg...)
		})
	}
}

// TestPurchaseDecode: what reaches the models, with the catalogue's
// discounts and the defaults (commitment = the fleet, or a scaled fleet's
// floor; a two-minute notice; EC2's free first hour).
func TestPurchaseDecode(t *testing.T) {
	for _, tt := range []struct {
		name, system string
		want         models.Purchase
	}{
		{"savings plan from the catalogue", "{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: savings-plan-1y}",
			models.Purchase{Option: models.Commitment, Name: "savings-plan-1y", Discount: 0.3646, Committed: 3}},
		{"reserved, a smaller commitment", "{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: {option: reserved-3y, committed_instances: 2}}",
			models.Purchase{Option: models.Commitment, Name: "reserved-3y", Discount: 0.5781, Committed: 2}},
		{"own discount over the catalogue's", "{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: {option: savings-plan-3y, discount: 0.5}}",
			models.Purchase{Option: models.Commitment, Name: "savings-plan-3y", Discount: 0.5, Committed: 3}},
		{"scaled fleet commits its floor", "{name: v, platform: aws-ec2-t3.large, boot: {dist: constant, value: 60s}, autoscale: {target: 0.6, min: 2, max: 9}, schedule: [{at: \"00:00\", instances: 4}, {at: \"08:00\", instances: 1}], purchase: {option: savings-plan-1y, discount: 0.3}}",
			models.Purchase{Option: models.Commitment, Name: "savings-plan-1y", Discount: 0.3, Committed: 2}},
		{"spot on EC2", "{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: {option: spot, discount: 0.6, interruption: {every: 720h}}}",
			models.Purchase{Option: models.Spot, Name: "spot", Discount: 0.6, FreeFirstHour: true,
				Interruption: models.Interruption{After: dist.Exponential{MeanS: 720 * 3600}, Notice: 2 * time.Minute}}},
		{"Fargate Spot bills its seconds", "{name: f, platform: aws-fargate-x86, instances: 2, purchase: {option: spot, discount: 0.7, interruption: {every: 100h, notice: 30s}}}",
			models.Purchase{Option: models.Spot, Name: "spot", Discount: 0.7,
				Interruption: models.Interruption{After: dist.Exponential{MeanS: 100 * 3600}, Notice: 30 * time.Second}}},
		{"on demand", "{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: on-demand}", models.Purchase{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Load(write(t, "s.yaml", head+"systems: ["+tt.system+"]\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Systems[0].Server.Purchase; got != tt.want {
				t.Errorf("purchase %+v, want %+v", got, tt.want)
			}
		})
	}
	sc, err := Load(write(t, "s.yaml", head+"systems: [{name: l, platform: aws-lambda-arm, purchase: savings-plan-3y}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if b := sc.Systems[0].FaaS.Billing; b.SavingsPlan != "savings-plan-3y" || b.SavingsPlanDiscount != 0.17 {
		t.Errorf("Lambda plan %q at %v, want savings-plan-3y at 0.17", b.SavingsPlan, b.SavingsPlanDiscount)
	}
}

// TestPurchaseBills: the bill of a whole scenario run, by hand. 100 s of
// billWorkload: three m5.large on a 1-year savings plan at 36.46% off, the
// commitment of all three, 3 × 100/3600 × 0.096 × 0.6354, nothing on
// demand; committing to 2 leaves one on demand, 100/3600 × 0.096; Lambda
// x86 with a 3-year plan: billWorkload's compute at 17% off, its requests
// at list price.
func TestPurchaseBills(t *testing.T) {
	h := 100.0 / 3600
	s := runBill(t, billWorkload+"systems: [{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: savings-plan-1y}]\n")
	if want := 3 * h * 0.096 * (1 - 0.3646); math.Abs(s.breakdown["commitment"]-want) > 1e-8*want || s.breakdown["servers"] != 0 {
		t.Errorf("commitment $%v servers $%v, want $%v and 0", s.breakdown["commitment"], s.breakdown["servers"], want)
	}
	s = runBill(t, billWorkload+"systems: [{name: v, platform: aws-ec2-m5.large, instances: 3, purchase: {option: savings-plan-1y, committed_instances: 2}}]\n")
	if c, o := 2*h*0.096*(1-0.3646), h*0.096; math.Abs(s.breakdown["commitment"]-c) > 1e-8*c || math.Abs(s.breakdown["servers"]-o) > 1e-8*o {
		t.Errorf("commitment $%v servers $%v, want $%v and $%v", s.breakdown["commitment"], s.breakdown["servers"], c, o)
	}
	plain := runBill(t, billWorkload+"systems: [{name: l, platform: aws-lambda-x86}]\n")
	sp := runBill(t, billWorkload+"systems: [{name: l, platform: aws-lambda-x86, purchase: savings-plan-3y}]\n")
	if want := plain.breakdown["compute"] * 0.83; math.Abs(sp.breakdown["compute"]-want) > 1e-8*want || sp.breakdown["requests"] != plain.breakdown["requests"] {
		t.Errorf("compute $%v requests $%v, want $%v and $%v", sp.breakdown["compute"], sp.breakdown["requests"], want, plain.breakdown["requests"])
	}
}
