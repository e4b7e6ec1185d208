// Package extractor reads one version of a data-residency page (Markdown)
// and returns its residency facts as structured records: which service moves
// which customer data out of which scope, where it rests, where it is
// processed, why, and from or until when.
//
// It walks the goldmark AST of the page (with the GFM table extension), not
// the raw text, with the vocabulary of the docs source's profile (regions,
// scopes, places, service names), and one small reader per layout over a
// shared section context:
//
//   - facts.go: fact blocks of "**Key** - value" bullets closed by a
//     "**Services** - A, B" bullet, under a heading or lead-in naming the
//     category and scope; "**EU Data Residency:**" labels narrow the scope;
//   - lists.go: bold or linked service labels with descriptions, services
//     listed after a lead-in that says where their data is, bullets about
//     the service a heading names, bare lists of data items;
//   - prose.go and statement.go: every sentence of ordinary prose, bold-label
//     paragraphs and callouts (> [!NOTE]) is read for its subject, residency
//     verb, locations (known places, "outside X", global, in-region phrases,
//     unknown capitalised places), category words, scopes and dates — which
//     makes dated, blanket and conditional commitments records too;
//   - tables.go: every table with a location column, keyed by service or by
//     region, method, cloud instance or event type (the key becomes the
//     sub-scope), and the footnotes under it;
//   - refs.go: lists replaced by links to another page, and pointers to an
//     external list of features that do not keep data in the region yet.
//
// Nothing is silent: a section that looks like residency content and yields
// no record or reference gets an unrecognised_section warning, a page that
// yields nothing an unrecognised_page warning, and unknown regions and places
// are kept as written with a warning, never replaced by a default. Coverage
// counts the residency-looking sections and those read.
package extractor
