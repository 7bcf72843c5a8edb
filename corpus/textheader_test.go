package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTextHeader(t *testing.T) {
	tests := []struct {
		name, body, url, rest string
		fields                map[string]string
		ok                    bool
	}{
		{"a capture's header", "url: https://plumber.example/story\nkind: copy\nnote: a copied story\n\nHeadline\nLead.\n",
			"https://plumber.example/story", "Headline\nLead.\n", map[string]string{"kind": "copy", "note": "a copied story"}, true},
		{"CRLF lines", "url: http://a.example/x\r\n\r\nText", "http://a.example/x", "Text", map[string]string{}, true},
		{"no header", "Headline\nurl: https://a.example/\n\nText", "", "", nil, false},
		{"a relative URL is no header", "url: /story\n\nText", "", "", nil, false},
		{"a page whose first line starts with url:", "url: see the address bar of your browser\n\nText", "", "", nil, false},
		{"no empty line ends it", "url: https://a.example/x\nkind: copy\nText without end", "", "", nil, false},
		{"a line that is not a field", "url: https://a.example/x\nThis is the headline\n\nText", "", "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, fields, rest, ok := TextHeader([]byte(tt.body))
			assert.Equal(t, tt.ok, ok)
			if !tt.ok {
				assert.Equal(t, tt.body, string(rest), "the body is left whole")
				return
			}
			assert.Equal(t, tt.url, u)
			assert.Equal(t, tt.rest, string(rest))
			assert.Equal(t, tt.fields, fields)
		})
	}
}
