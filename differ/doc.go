// Package differ compares the records of two versions of a page and names
// the semantic changes a compliance team acts on: a service newly excluded
// from or newly compliant with a scope, a changed category, scope or fact,
// a rename, a list delegated to another page, or a version the extractor
// could not read as well as the last.
package differ
