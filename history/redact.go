package history

import (
	"regexp"
	"strings"
)

// Redact removes what may be a secret from a URL so it can be shown: the
// userinfo of any URL form (https://user:token@host/…, a token alone as
// the user, ssh's user@host:path other than git@) and the values of its
// query string and fragment (?access_token=…), keeping their keys. Any
// other text is returned as it is.
func Redact(url string) string {
	s := url
	if i := strings.Index(s, "://"); i >= 0 {
		// The last @ before the path (or anywhere, when a password holds
		// a slash): erring toward hiding the host, never the token.
		if j := strings.LastIndex(s, "@"); j > i {
			s = s[:i+3] + "***@" + s[j+1:]
		}
	} else if m := userAt.FindStringSubmatchIndex(s); m != nil && s[m[2]:m[3]] != "git" {
		s = s[:m[2]] + "***" + s[m[3]:]
	}
	if q := strings.IndexAny(s, "?#"); q >= 0 {
		s = s[:q] + redactQuery(s[q:])
	}
	return s
}

// userAt matches the user of ssh's scp-like form, user[:password]@host:.
var userAt = regexp.MustCompile(`^([^\s/@:]+(?::[^\s/@]*)?)@[\w.-]+:`)

// harmlessKeys are query keys whose values are kept: git's own.
var harmlessKeys = map[string]bool{"service": true}

// redactQuery replaces the values of the key=value pairs in s (a query
// string and fragment, from its "?" or "#") with ***. A value ends at &,
// ;, #, whitespace, a quote or a bracket: what follows a URL in a message
// is kept.
func redactQuery(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		b.WriteByte(c)
		i++
		if c != '?' && c != '&' && c != ';' && c != '#' {
			continue
		}
		// A key, then its value.
		k := i
		for i < len(s) && strings.IndexByte("=&;#", s[i]) < 0 && !endOfURL(s[i]) {
			i++
		}
		key := s[k:i]
		switch {
		case i < len(s) && s[i] == '=':
			i++
			v := i
			for i < len(s) && strings.IndexByte("&;#", s[i]) < 0 && !endOfURL(s[i]) {
				i++
			}
			b.WriteString(key + "=")
			if harmlessKeys[strings.ToLower(key)] || i == v {
				b.WriteString(s[v:i])
			} else {
				b.WriteString("***")
			}
		case c == '?' && key != "":
			b.WriteString("***") // a bare query (?token): all of it may be the secret
		default:
			b.WriteString(key)
		}
		if i < len(s) && endOfURL(s[i]) {
			b.WriteString(s[i:]) // what follows the URL in a message
			break
		}
	}
	return b.String()
}

// endOfURL reports whether c ends a URL quoted in a message.
func endOfURL(c byte) bool {
	return strings.IndexByte(" \t\n\"'<>()[]{}`,", c) >= 0
}

// scrub removes what looks like URL credentials or query secrets from a
// message, word by word.
func scrub(msg string) string {
	var b strings.Builder
	for _, word := range strings.SplitAfter(msg, " ") {
		if strings.Contains(word, "://") || strings.ContainsAny(word, "@?") {
			word = Redact(word)
		}
		b.WriteString(word)
	}
	return b.String()
}

// URLSecret says what secret a URL carries — a password, a token as its
// user name, a query-string or fragment value — or "" for none. Only the
// conventional ssh user (git@) and git's own query keys pass.
func URLSecret(url string) string {
	if Redact(url) == url {
		return ""
	}
	s := url
	if i := strings.Index(s, "://"); i >= 0 && strings.LastIndex(s, "@") > i {
		user := s[i+3 : strings.LastIndex(s, "@")]
		if strings.Contains(user, ":") {
			return "a user name and password"
		}
		return "a credential as its user name"
	}
	if userAt.MatchString(s) {
		return "a credential as its user name"
	}
	return "a secret in its query string"
}
