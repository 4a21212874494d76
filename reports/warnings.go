package reports

// Warning says why a system's figures may not mean what they seem.
type Warning struct {
	Code    string `json:"code"` // saturated | unfinished | few_samples | failing | slo (and top-level codes)
	Message string `json:"message"`
}
