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
// So a page never holds an in_region record under a key that also holds
// an excluding record: the in_region record is folded into the excluding
// record nearest to it on the page, the most transferring reading of what
// the text says of the subject. The excluding record keeps its category,
// data and dates; it gains the in_region record's places (at rest and
// processing) and reason, and the claim sites of the in_region record
// cite it. The data the in_region record names are not added: they are
// the data kept in the region, and the excluding record would say they
// leave it.

// verdictKey is the key the differ compares records by.
type verdictKey struct{ id, scope, sub string }

func verdictKeyOf(r Record) verdictKey { return verdictKey{r.ServiceID, r.Scope, r.SubScope} }

// oneVerdictPerKey folds every in_region record that shares its key with
// an excluding record into that record, and renumbers the claims'
// records.
func oneVerdictPerKey(p *Page) {
	excluding := map[verdictKey][]int{}
	for i, r := range p.Records {
		if r.Category.Excluding() {
			excluding[verdictKeyOf(r)] = append(excluding[verdictKeyOf(r)], i)
		}
	}
	into := map[int]int{} // folded record → the record it became part of
	for i, r := range p.Records {
		if r.Category != InRegion {
			continue
		}
		ex := excluding[verdictKeyOf(r)]
		if len(ex) == 0 {
			continue
		}
		j := nearest(p.Records, ex, r.Line)
		into[i] = j
		to := &p.Records[j]
		to.LocationAtRest = joinParts(to.LocationAtRest, r.LocationAtRest)
		to.Processing = joinParts(to.Processing, r.Processing)
		to.Reason = joinDistinct(to.Reason, r.Reason)
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
	}
}

// joinParts adds the "; "-separated parts of b that a does not hold as
// parts of its own: "Australia" is a place of its own beside "Sign-in
// logs: Australia", which names the logs kept there.
func joinParts(a, b string) string {
	have := strings.Split(a, "; ")
	for _, part := range strings.Split(b, "; ") {
		part = strings.TrimSpace(part)
		if part == "" || slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), part) }) {
			continue
		}
		if strings.TrimSpace(a) == "" {
			a, have = part, []string{part}
			continue
		}
		a += "; " + part
		have = append(have, part)
	}
	return a
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
