package slack

import (
	"context"
	"fmt"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"
)

// LookBack is how far back a bot looks in its channel for messages an
// earlier run posted but could not record (a kill or a timeout after
// Slack accepted them).
const LookBack = 7 * 24 * time.Hour

// maxHistoryPages bounds the history a lookup reads (200 messages a page).
const maxHistoryPages = 10

// Delivered returns the change ids carried by residiff's messages in the
// bot's channel since since: top-level messages and the replies threaded
// under them. It needs the channel's id, known once the bot has posted
// (chat.postMessage answers with it); before that it returns nil.
func (b *Bot) Delivered(ctx context.Context, since time.Time) (map[string]bool, error) {
	if b.channelID == "" {
		return nil, nil
	}
	seen := map[string]bool{}
	oldest := fmt.Sprintf("%d.000000", since.Unix())
	cursor := ""
	for page := 0; page < maxHistoryPages; page++ {
		resp, err := b.Client.GetConversationHistoryContext(ctx, &slackgo.GetConversationHistoryParameters{
			ChannelID: b.channelID, Oldest: oldest, Limit: 200, Cursor: cursor})
		if err != nil {
			return nil, fmt.Errorf("slack %s: read channel history: %w", b.Channel, scrub(err, b.Token))
		}
		for _, m := range resp.Messages {
			collectIDs(m, seen)
			if m.ReplyCount == 0 {
				continue
			}
			if err := b.replies(ctx, m.Timestamp, oldest, seen); err != nil {
				return nil, err
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			break
		}
		cursor = resp.ResponseMetaData.NextCursor
	}
	return seen, nil
}

// replies collects the change ids of the replies in the thread of ts.
func (b *Bot) replies(ctx context.Context, ts, oldest string, seen map[string]bool) error {
	cursor := ""
	for page := 0; page < maxHistoryPages; page++ {
		msgs, more, next, err := b.Client.GetConversationRepliesContext(ctx, &slackgo.GetConversationRepliesParameters{
			ChannelID: b.channelID, Timestamp: ts, Oldest: oldest, Limit: 200, Cursor: cursor})
		if err != nil {
			return fmt.Errorf("slack %s: read thread %s: %w", b.Channel, ts, scrub(err, b.Token))
		}
		for _, m := range msgs {
			collectIDs(m, seen)
		}
		if !more || next == "" {
			return nil
		}
		cursor = next
	}
	return nil
}

// collectIDs adds the change ids of m's blocks to seen.
func collectIDs(m slackgo.Message, seen map[string]bool) {
	for _, bl := range m.Blocks.BlockSet {
		if id, ok := strings.CutPrefix(bl.ID(), BlockIDPrefix); ok && id != "" {
			seen[id] = true
		}
		if ids, ok := strings.CutPrefix(bl.ID(), IDsBlockPrefix); ok {
			for _, id := range strings.Split(ids, ".") {
				if id != "" {
					seen[id] = true
				}
			}
		}
	}
}
