// Package slack is the Slack notifier: it lays residency changes out as
// Block Kit messages within Slack's limits and delivers them to an
// incoming webhook or, with a bot token, through chat.postMessage
// (github.com/slack-go/slack), with bounded retries that honour rate
// limits. A Destination implements notifier.Notifier. Errors name the
// destination, never the token or the webhook URL.
package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier/layout"
	"github.com/residiff/residiff/render"
	slackgo "github.com/slack-go/slack"
)

// Slack's limits on one message (https://api.slack.com/reference/block-kit).
const (
	// MaxBlocks is the most blocks one message may carry.
	MaxBlocks = 50
	// MaxSectionText is the most characters of a section's text.
	MaxSectionText = 3000
	// MaxHeaderText is the most characters of a header's text.
	MaxHeaderText = 150
	// MaxMessageText is the character budget of all block texts of one
	// message, kept under Slack's undocumented ~13,000 so that markup
	// added by the client never tips a message over.
	MaxMessageText = 12000
)

// MaxFooterText is the most characters of a message's footer (its
// repositories, pages, commits and report link).
const MaxFooterText = 1000

// Message is one Slack message and the changes it carries.
type Message struct {
	// Text is the notification fallback text.
	Text string
	// Blocks is the Block Kit layout.
	Blocks []slackgo.Block
	// IDs are the change ids the message delivers.
	IDs []string
}

// Compose lays items out as one or more messages under title: a header, then
// per revision a section naming page, commit and date and a section per
// change. Messages are split so that none exceeds Slack's limits; a long
// change text is clipped, never dropped.
func Compose(title string, items []model.Item) []Message {
	return ComposeGrouped(title, items, GroupAt)
}

// ComposeGrouped is Compose with changes grouped from groupAt alike changes
// of a revision on (0: never grouped, one line per change).
func ComposeGrouped(title string, items []model.Item, groupAt int) []Message {
	type unit struct {
		blocks []slackgo.Block
		size   int
		ids    []string // none for a revision line
	}
	var units []unit
	for _, l := range layout.Lines(items, groupAt) {
		it := l.Item
		switch {
		case l.Revision:
			text := short.Clip(revisionLine(it), MaxSectionText)
			units = append(units, unit{blocks: []slackgo.Block{slackgo.NewDividerBlock(), section(text)}, size: utf8.RuneCountInString(text)})
		case len(l.Group) > 0:
			text := short.Clip(groupText(l.Group), MaxSectionText)
			group := slackgo.NewSectionBlock(slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, false), nil, nil,
				slackgo.SectionBlockOptionBlockID(GroupBlockPrefix+it.Change.ID))
			blocks := []slackgo.Block{group}
			size := utf8.RuneCountInString(text)
			if len(l.Group) > groupNames {
				// The line names the first few; every name follows.
				all := short.Clip("All "+fmt.Sprint(len(l.Group))+": "+namesOf(l.Group), MaxSectionText)
				blocks = append(blocks, slackgo.NewContextBlock("", slackgo.NewTextBlockObject(slackgo.MarkdownType, all, false, false)))
				size += utf8.RuneCountInString(all)
			}
			units = append(units, unit{blocks: append(blocks, idBlocks(l.Group)...), size: size, ids: l.IDs()})
		default:
			text := short.Clip(changeText(it), MaxSectionText)
			units = append(units, unit{blocks: []slackgo.Block{changeSection(text, it.Change.ID)}, size: utf8.RuneCountInString(text), ids: l.IDs()})
		}
	}

	var msgs []Message
	var cur *Message
	size := 0
	for i, u := range units {
		// A revision line starts a unit pair: keep it with at least its
		// first change.
		need := len(u.blocks)
		needSize := u.size
		if len(u.ids) == 0 && i+1 < len(units) {
			need += len(units[i+1].blocks)
			needSize += units[i+1].size
		}
		// Blocks and characters are kept for the header and the footer.
		if cur == nil || len(cur.Blocks)+need > MaxBlocks-2 || size+needSize > MaxMessageText-MaxHeaderText-MaxFooterText {
			msgs = append(msgs, Message{})
			cur = &msgs[len(msgs)-1]
			size = 0
		}
		cur.Blocks = append(cur.Blocks, u.blocks...)
		size += u.size
		cur.IDs = append(cur.IDs, u.ids...)
	}
	for i := range msgs {
		h := title
		if len(msgs) > 1 {
			h = fmt.Sprintf("%s (part %d/%d)", title, i+1, len(msgs))
		}
		h = short.Clip(h, MaxHeaderText)
		msgs[i].Blocks = append([]slackgo.Block{slackgo.NewHeaderBlock(slackgo.NewTextBlockObject(slackgo.PlainTextType, h, false, false))}, msgs[i].Blocks...)
		msgs[i].Text = fmt.Sprintf("%s: %d change(s)", h, len(msgs[i].IDs))
	}
	return msgs
}

// Summary is a single message that stands for many changes, sent instead
// of them on a first run: counts by kind per page and the latest changes.
func Summary(title string, items []model.Item, latest int) Message {
	return summary(title, layout.SummaryIntro, items, latest)
}

// Heartbeat is one short message saying the watch is alive and found
// nothing new.
func Heartbeat(text string) Message {
	return Message{Text: text, Blocks: []slackgo.Block{section(escape(text))}}
}

// Digest is a single message that stands for a backlog too large or too
// old to post change by change.
func Digest(title string, items []model.Item, latest int) Message {
	return summary(title, layout.DigestIntro, items, latest)
}

// summary lays out a message that stands for many changes: intro (with
// the count of changes and pages), counts by kind per page, then the most
// severe changes, newest first among equals.
func summary(title, intro string, items []model.Item, latest int) Message {
	var b strings.Builder
	fmt.Fprintf(&b, intro+"\n", len(items), layout.Pages(items))
	for _, pc := range layout.Counts(items) {
		fmt.Fprintf(&b, "• *%s*: %s\n", escape(pc.Page), strings.Join(pc.Counts, ", "))
	}
	blocks := []slackgo.Block{
		slackgo.NewHeaderBlock(slackgo.NewTextBlockObject(slackgo.PlainTextType, short.Clip(title, MaxHeaderText), false, false)),
		section(short.Clip(b.String(), MaxSectionText)),
	}
	// The most severe changes first, newest first among equals, as long
	// as they fit: a high-severity change is never crowded out by medium
	// ones.
	size := utf8.RuneCountInString(b.String())
	for _, it := range layout.MostSevere(items) {
		if latest <= 0 {
			break
		}
		text := short.Clip(changeText(it), MaxSectionText)
		n := utf8.RuneCountInString(text)
		if len(blocks)+2 > MaxBlocks || size+n > MaxMessageText-MaxFooterText {
			break
		}
		if len(blocks) == 2 {
			blocks = append(blocks, section("*Most severe changes*"))
		}
		blocks = append(blocks, section(text))
		size += n
		latest--
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.Change.ID)
	}
	return Message{Text: fmt.Sprintf("%s: %d change(s)", title, len(items)), Blocks: blocks, IDs: ids}
}

// revisionLine introduces the changes of one revision.
func revisionLine(it model.Item) string {
	ref := short.Hash(it.Commit)
	if it.URL != "" {
		ref = slackLink(ref, it.URL)
	}
	page := escape(it.Page)
	if it.Region != "" {
		page += " (" + escape(it.Region) + ")"
	}
	return fmt.Sprintf("*%s* · %s · %s", page, ref, it.Date.UTC().Format("2006-01-02"))
}

// changeText is one change in Slack mrkdwn: the changelog sentence with its
// severity.
func changeText(it model.Item) string {
	return fmt.Sprintf("%s %s", marker(it.Change), render.Sentence(it.Change, SlackStyle()))
}

// marker shows a change's direction at a glance: data newly leaving (red),
// no longer listed (green: good news, still to be checked), facts that
// changed (orange), lists that moved or services renamed (arrows), and
// what residiff could not read (warning: needs a look).
func marker(c differ.Change) string {
	return markers[layout.DirectionOf(c)]
}

var markers = map[layout.Direction]string{
	layout.Excluded: ":red_circle:", layout.NoLongerListed: ":large_green_circle:", layout.Changed: ":large_orange_circle:",
	layout.Moved: ":arrow_right:", layout.Renamed: ":label:", layout.NeedsLook: ":warning:", layout.Other: ":white_circle:",
}

// GroupAt is layout.GroupAt, the default of slack.group_at.
const GroupAt = layout.GroupAt

// groupText is one line for many changes (layout.GroupSentence) with its
// marker.
func groupText(group []model.Item) string {
	return marker(group[0].Change) + " " + layout.GroupSentence(group, SlackStyle(), groupNames)
}

// groupNames is how many names a grouped line shows; a context block
// after it has them all.
const groupNames = 12

// namesOf lists the services of a group.
func namesOf(group []model.Item) string {
	names := make([]string, len(group))
	for i, it := range group {
		names[i] = escape(it.Change.Service)
	}
	return strings.Join(names, ", ")
}

// idBlocks carries the change ids of a grouped line in block_ids (a
// context block each, as many ids as fit in Slack's 255-character
// block_id), so that a bot finds every one of them in the channel.
func idBlocks(group []model.Item) []slackgo.Block {
	var out []slackgo.Block
	ids := ""
	flush := func() {
		if ids != "" {
			out = append(out, slackgo.NewContextBlock(IDsBlockPrefix+ids, slackgo.NewTextBlockObject(slackgo.MarkdownType, fmt.Sprintf("%d change id(s)", strings.Count(ids, ".")+1), false, false)))
			ids = ""
		}
	}
	for _, it := range group {
		id := it.Change.ID
		if len(IDsBlockPrefix)+len(ids)+1+len(id) > 255 {
			flush()
		}
		if ids != "" {
			ids += "."
		}
		ids += id
	}
	flush()
	return out
}

// GroupBlockPrefix starts the block_id of a grouped line's section (its
// first change's id follows; all of its ids are in its context blocks).
const GroupBlockPrefix = "residiff-group-"

// IDsBlockPrefix starts the block_id of a grouped line's context blocks:
// the change ids follow, separated by dots.
const IDsBlockPrefix = "residiff-changes-"

// SlackStyle is the render.Style of Slack's mrkdwn.
func SlackStyle() render.Style {
	return render.Style{
		Text:     escape,
		Bold:     func(s string) string { return "*" + s + "*" },
		Code:     func(s string) string { return "`" + s + "`" },
		Link:     slackLink,
		Deleted:  func(s string) string { return "~" + s + "~" },
		Inserted: func(s string) string { return "*" + s + "*" },
	}
}

// escape escapes the three characters mrkdwn gives a meaning to.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackLink is <url|text>; text is already escaped.
func slackLink(text, url string) string {
	if url == "" {
		return text
	}
	url = strings.NewReplacer("|", "%7C", ">", "%3E", "<", "%3C", " ", "%20").Replace(url)
	return "<" + url + "|" + strings.ReplaceAll(text, "|", "¦") + ">"
}

// changeSection is the section of one change; its block_id carries the
// change id so that a message can be traced back to the changelog.
func changeSection(text, id string) slackgo.Block {
	return slackgo.NewSectionBlock(slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, false), nil, nil,
		slackgo.SectionBlockOptionBlockID(BlockIDPrefix+id))
}

// BlockIDPrefix starts the block_id of every change section.
const BlockIDPrefix = "residiff-change-"

func section(text string) slackgo.Block {
	return slackgo.NewSectionBlock(slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, false), nil, nil)
}

// RunHeader is the message a bot posts first in a run; the run's change
// messages are threaded under it.
func RunHeader(changes int) Message {
	text := fmt.Sprintf("residiff: %d residency change(s) to review", changes)
	return Message{Text: text, Blocks: []slackgo.Block{
		slackgo.NewHeaderBlock(slackgo.NewTextBlockObject(slackgo.PlainTextType, short.Clip(text, MaxHeaderText), false, false)),
		section("Details are in the thread. Each change links to the page at the commit that made it."),
	}}
}

// WithFooter ends every message with a context block of its evidence
// (layout.Footer): repositories, pages, commits and the report link of the
// changes it carries.
func WithFooter(msgs []Message, items []model.Item, reportURL string) []Message {
	byID := map[string]model.Item{}
	for _, it := range items {
		byID[it.Change.ID] = it
	}
	for i := range msgs {
		var carried []model.Item
		for _, id := range msgs[i].IDs {
			if it, ok := byID[id]; ok {
				carried = append(carried, it)
			}
		}
		links := layout.Footer(carried, reportURL)
		if len(links) == 0 {
			continue
		}
		text := footerText(links, reportURL)
		msgs[i].Blocks = append(msgs[i].Blocks, slackgo.NewContextBlock("", slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, false)))
	}
	return msgs
}

// footerText joins a footer's links with " · " in at most MaxFooterText
// characters. A footer past the limit is clipped on a link boundary,
// never inside a link: the links at its end are left out (the report
// link, which comes last, is kept) and counted ("… 12 more links left
// out"). A single link longer than the limit is shown as its text alone.
func footerText(links []layout.Link, reportURL string) string {
	parts := make([]string, len(links))
	for j, l := range links {
		parts[j] = slackLink(escape(l.Text), l.URL)
		if n := len([]rune(parts[j])); n > MaxFooterText {
			parts[j] = short.Clip(escape(l.Text), MaxFooterText/2)
		}
	}
	text := strings.Join(parts, " · ")
	if len([]rune(text)) <= MaxFooterText {
		return text
	}
	var tail []string // kept at the end whatever is left out
	if n := len(links); reportURL != "" && n > 0 && links[n-1].URL == reportURL {
		tail, parts = parts[n-1:], parts[:n-1]
	}
	for keep := len(parts) - 1; keep >= 0; keep-- {
		left := len(parts) - keep
		noun := "links"
		if left == 1 {
			noun = "link"
		}
		kept := append(append(append([]string(nil), parts[:keep]...), fmt.Sprintf("… %d more %s left out", left, noun)), tail...)
		if text := strings.Join(kept, " · "); len([]rune(text)) <= MaxFooterText {
			return text
		}
	}
	return fmt.Sprintf("%d links left out", len(links))
}
