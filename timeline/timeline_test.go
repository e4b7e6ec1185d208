package timeline

import (
	"testing"
	"time"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/model"
)

func day(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }

func version(d int, page string, records ...extractor.Record) model.PageVersion {
	return model.PageVersion{Page: &extractor.Page{Page: page, Title: page, Records: records}, Commit: "c" + page, Date: day(d)}
}

func excluded(service string) extractor.Record {
	return extractor.Record{Service: service, ServiceID: service, Scope: "Japan", Category: extractor.Outside}
}

// TestAsOfRemovedAndUnread: a page removed before the date is not in force,
// and a version that could not be fully read says so instead of looking
// like a page with no exclusions.
func TestAsOfRemovedAndUnread(t *testing.T) {
	unread := version(2, "b")
	unread.Page.Warnings = []extractor.Warning{{Line: 7, Kind: extractor.UnrecognisedSection, Message: "not read"}, {Line: 9, Kind: extractor.UnknownPlace}}
	versions := []model.PageVersion{
		version(1, "a", excluded("mfa")),
		unread,
		{Page: &extractor.Page{Page: "a"}, Date: day(5), Removed: true},
	}
	s := AsOf(day(3), versions)
	if len(s.Pages) != 2 || s.Pages[0].Page != "a" || len(s.Pages[0].Exclusions) != 1 {
		t.Fatalf("on day 3: %+v", s.Pages)
	}
	if len(s.Pages[1].Unread) != 1 || s.Pages[1].Unread[0].Line != 7 {
		t.Errorf("unread of b = %+v, want the one section warning", s.Pages[1].Unread)
	}
	s = AsOf(day(6), versions)
	if len(s.Pages) != 1 || s.Pages[0].Page != "b" {
		t.Errorf("on day 6 the removed page is still in force: %+v", s.Pages)
	}
}

// TestPeriodsCloseWhenPageRemoved: a removed page's exclusions end with it.
func TestPeriodsCloseWhenPageRemoved(t *testing.T) {
	ps := Periods([]model.PageVersion{
		version(1, "a", excluded("mfa")),
		{Page: &extractor.Page{Page: "a"}, Date: day(5), Removed: true},
	})
	if len(ps) != 1 || ps[0].Open() || !ps[0].To.Equal(day(5)) {
		t.Errorf("periods = %+v, want one closed on day 5", ps)
	}
}
