// Package scenarios reads scenario files (YAML; TOML and JSON by extension)
// into a checked Scenario and builds fresh workloads and systems from it.
//
// It is the only package that imports viper, and only to read a file into a
// generic map. Decoding that map is done here by hand, strictly: defaults
// are filled before decoding (defaults.go), unknown keys are errors, the
// polymorphic sections (workload types, distributions, keep-alive policies)
// go through registries (registry.go), and every problem is reported at once
// with its key path, as Problems. docs/scenario-reference.md lists every key.
package scenarios
