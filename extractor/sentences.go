package extractor

// Sentences splits prose into sentences the way the extractor reads them:
// at a period followed by a space and a capital letter, keeping
// abbreviations such as "U.S." whole. The final period is dropped.
func Sentences(s string) []string { return sentences(s) }
