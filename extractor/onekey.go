package extractor

import (
	"slices"
	"strings"
)

// One key, one verdict. The differ compares a page's records by their key
// (service, scope, sub-scope) and takes an in_region record under a key
// as the service's state there when no excluding record stands beside
// it. Two records under one key that disagree (the items of one list
// about one service: "phone calls originate from United States
// datacenters", "push notifications are processed in regional
// datacenters"; one row read both in region and global) would let the
// in_region one stand in for the other the day its sentence goes: a
// deleted transfer would read as the service newly kept in the region.
//
// So a section never holds an in_region record under a key that also
// holds an excluding record of that section: the in_region record is
// folded into the excluding record nearest to it in the section, the most
// transferring reading of what the passage says of the subject. The
// excluding record keeps its category, data, reason and dates; it gains
// the in_region record's places (at rest and processing), and the claim
// sites of the in_region record cite it (their disposition becomes
// record, as dispose gives a site any of whose records excludes). The
// data the in_region record names are not added: they are the data kept
// in the region, and the excluding record would say they leave it.
//
// The fold stops at the section: a statement under another heading is
// another fact the page states of the service ("Users' personal data
// (Exchange mailbox and OneDrive) … can be stored in the specified
// Local Region Geography" beside a OneDrive section that sends data out),
// and folded it would be lost in the transfer, its data dropped and its
// places read as where the transferred data goes (BLIND3 class 9). It
// keeps its own in_region record beside the excluding one; the differ
// takes the key's excluding records as its verdict (an in_region record
// never stands in for a transfer whose sentence went), so a page holds
// both facts and the service stays excluded while the transfer is said.
// verdictKey is the key the differ compares records by.
type verdictKey struct{ id, scope, sub string }

func verdictKeyOf(r Record) verdictKey { return verdictKey{r.ServiceID, r.Scope, r.SubScope} }

// oneVerdictPerKey folds every in_region record that shares its key with
// an excluding record of its section (sameSection reports whether records
// i and j were read in one section) into that record, and renumbers the
// claims' records.
func oneVerdictPerKey(p *Page, sameSection func(i, j int) bool) {
	in, ex := false, false
	for _, r := range p.Records {
		in, ex = in || r.Category == InRegion, ex || r.Category.Excluding()
	}
	if !in || !ex {
		return // no key can hold both
	}
	excluding := map[verdictKey][]int{}
	for i, r := range p.Records {
		if r.Category.Excluding() {
			excluding[verdictKeyOf(r)] = append(excluding[verdictKeyOf(r)], i)
		}
	}
	into := map[int]int{}          // folded record → the record it became part of
	added := map[int][2][]string{} // record → places folded into it (at rest, processing)
	for i, r := range p.Records {
		if r.Category != InRegion {
			continue
		}
		ex := slices.DeleteFunc(slices.Clone(excluding[verdictKeyOf(r)]), func(j int) bool { return !sameSection(i, j) })
		if len(ex) == 0 {
			continue
		}
		j := nearest(p.Records, ex, r.Line)
		into[i] = j
		a := added[j]
		a[0], a[1] = append(a[0], splitParts(r.LocationAtRest)...), append(a[1], splitParts(r.Processing)...)
		added[j] = a
	}
	for j, a := range added {
		// The folded places in a stable order: two items swapped say
		// the same.
		to := &p.Records[j]
		to.LocationAtRest = joinParts(to.LocationAtRest, a[0])
		to.Processing = joinParts(to.Processing, a[1])
	}
	if len(into) == 0 {
		return
	}
	renum := make([]int, len(p.Records))
	kept := p.Records[:0:0]
	for i, r := range p.Records {
		if _, ok := into[i]; ok {
			continue
		}
		renum[i] = len(kept)
		kept = append(kept, r)
	}
	for i, j := range into {
		renum[i] = renum[j]
	}
	p.Records = kept
	for c := range p.Claims {
		cl := &p.Claims[c]
		if len(cl.Records) == 0 {
			continue
		}
		var recs []int
		for _, i := range cl.Records {
			if n := renum[i]; !slices.Contains(recs, n) {
				recs = append(recs, n)
			}
		}
		cl.Records = recs
		if cl.Disposition == StatedInRegion && slices.ContainsFunc(recs, func(i int) bool { return p.Records[i].Category.Excluding() }) {
			// As dispose has it: a site whose records send data out is
			// a record site, though its own words stay in the region.
			cl.Disposition = AsRecord
		}
	}
}

// splitParts are the "; "-separated parts of a field.
func splitParts(v string) []string {
	var out []string
	for _, part := range strings.Split(v, "; ") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// joinParts adds to field a the parts it does not hold as parts of its
// own, sorted: "Australia" is a place of its own beside "Sign-in logs:
// Australia", which names the logs kept there.
func joinParts(a string, parts []string) string {
	have := splitParts(a)
	var add []string
	for _, part := range parts {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, part) }) &&
			!slices.ContainsFunc(add, func(h string) bool { return strings.EqualFold(h, part) }) {
			add = append(add, part)
		}
	}
	slices.Sort(add)
	return strings.Join(append(have, add...), "; ")
}

// nearest is the record of idx whose line is nearest to line, the
// earlier on a tie.
func nearest(recs []Record, idx []int, line int) int {
	best, dist := idx[0], -1
	for _, i := range idx {
		d := recs[i].Line - line
		if d < 0 {
			d = -d
		}
		if dist < 0 || d < dist {
			best, dist = i, d
		}
	}
	return best
}
