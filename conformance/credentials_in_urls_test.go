package conformance

import (
	"encoding/base64"
	"net/url"
	"testing"
)

func TestLeaksEveryForm(t *testing.T) {
	const secret = "kcMrqvSd5CKeyadguVE4"
	tests := []struct {
		name, text string
		want       bool
	}{
		{"a clean link", "http://127.0.0.1/api/v1/files/s/1-2017-sb.en?expires=1&sig=Ae7e&v=1", false},
		{"as a value", "http://x/token?secretKey=" + secret, true},
		{"as a name", "http://x/token?" + secret, true},
		{"in the path", "http://x/proxy/" + secret + "/report.pdf", true},
		{"percent-encoded twice", "http://x/p?k=" + url.QueryEscape(url.QueryEscape("/"+secret)), true},
		{"base64", "http://x/p?auth=" + base64.StdEncoding.EncodeToString([]byte(secret)), true},
		{"another key", "http://x/p?k=" + wrongSecret(secret), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leaks(tt.text, secret); got != tt.want {
				t.Errorf("leaks(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
