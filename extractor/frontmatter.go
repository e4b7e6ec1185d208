package extractor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/residiff/residiff/internal/rawjson"
)

// frontMatter is what the extractor reads of a page's YAML front matter.
type frontMatter struct {
	title    string
	pageDate string // raw value of the page-date key
	end      int    // offset just past the closing delimiter line; 0 if none
}

// readFrontMatter finds a leading "---" … "---" block and reads its title
// and the profile's page-date key (dateKey, source.Profile.PageDateKey;
// "" reads none) line by line: scraped copies carry front matter that is
// not always valid YAML, and only two flat keys are needed.
func readFrontMatter(src []byte, dateKey string) frontMatter {
	dateKey = strings.ToLower(dateKey)
	var fm frontMatter
	rest := src
	// Scraped copies may put blank lines before the front matter.
	start := len(src) - len(bytes.TrimLeft(rest, " \t\n"))
	rest = src[start:]
	if !bytes.HasPrefix(rest, []byte("---")) {
		return fm
	}
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 || strings.TrimSpace(string(rest[:nl])) != "---" {
		return fm
	}
	off := start + nl + 1
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		var line string
		next := len(src)
		if end >= 0 {
			line, next = string(src[off:off+end]), off+end+1
		} else {
			line = string(src[off:])
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "---" || trimmed == "..." {
			fm.end = next
			return fm
		}
		if key, val, ok := strings.Cut(trimmed, ":"); ok {
			val = strings.Trim(strings.TrimSpace(val), `"'`)
			switch k := strings.ToLower(strings.TrimSpace(key)); {
			case k == "title":
				fm.title = val
			case dateKey != "" && k == dateKey:
				fm.pageDate = val
			}
		}
		off = next
	}
	// No closing delimiter: not front matter after all.
	return frontMatter{}
}

// keyLine is the line of src the page-date key is on (1 when absent).
func keyLine(src []byte, dateKey string) int {
	if dateKey == "" {
		return 1
	}
	return bytes.Count(src[:max(bytes.Index(src, []byte(dateKey)), 0)], []byte("\n")) + 1
}

// isoDate turns the page-date value v of front-matter key key into
// YYYY-MM-DD. MM/DD/YYYY is read month first; DD/MM/YYYY is recognised
// when the first number cannot be a month, and an ambiguous date is read
// as MM/DD/YYYY. ISO dates pass.
func isoDate(key, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", "2006-1-2", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) == 3 {
		a, errA := strconv.Atoi(parts[0])
		b, errB := strconv.Atoi(parts[1])
		y, errY := strconv.Atoi(parts[2])
		if errA == nil && errB == nil && errY == nil {
			if y < 100 {
				y += 2000
			}
			month, day := a, b
			if a > 12 && b <= 12 {
				month, day = b, a
			}
			t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
			if month >= 1 && month <= 12 && day >= 1 && t.Day() == day {
				return t.Format("2006-01-02"), nil
			}
		}
	}
	return "", fmt.Errorf("%s %q is not a date (want MM/DD/YYYY or YYYY-MM-DD)", key, v)
}

// MarshalJSON writes the page with ms_date, the deprecated alias of
// page_date (removed in the changelog's schema_version 4), beside it.
func (p Page) MarshalJSON() ([]byte, error) {
	type plain Page
	return rawjson.Marshal(struct {
		plain
		MSDate string `json:"ms_date"`
	}{plain(p), p.PageDate})
}

// UnmarshalJSON reads a page, also as older residiff wrote it: ms_date
// is the page date when page_date is absent.
func (p *Page) UnmarshalJSON(b []byte) error {
	type plain Page
	var v struct {
		plain
		MSDate string `json:"ms_date"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Page(v.plain)
	if p.PageDate == "" {
		p.PageDate = v.MSDate
	}
	return nil
}
