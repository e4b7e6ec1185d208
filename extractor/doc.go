// Package extractor reads one version of a data-residency page (Markdown)
// and returns its residency facts as structured records: which service moves
// which customer data out of which scope, where it rests, where it is
// processed and why.
//
// It walks the goldmark AST of the page (with the GFM table extension), not
// the raw text, and reads every layout the Microsoft Entra residency pages
// have used: fact blocks of "**Key** - value" bullets, headings that name the
// category and scope, "**EU Data Residency:**" sub-blocks, linked-name
// bullets, one heading per service with prose facts, nested lists and GFM
// tables. What looks like residency content but is not understood becomes a
// Warning, never a silent empty result.
package extractor
