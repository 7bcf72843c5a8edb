package page

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHrefHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		href, host string
		web        bool
	}{
		{"https://www.Example.com/path?q=1", "example.com", true},
		{"//cdn.example.net/x.js", "cdn.example.net", true},
		{"HTTP://user:pw@shop.example.org:8080/", "shop.example.org", true},
		{"https://www.site.com${loc.pathname}", "site.com", true},
		{"/local/page", "", true},
		{"page.html", "", true},
		{"#top", "", false},
		{"mailto:editor@example.com", "", false},
		{"javascript:void(0)", "", false},
		{"tel:+123", "", false},
		{"", "", false},
	} {
		host, web := HrefHost(tc.href)
		assert.Equal(t, tc.host, host, tc.href)
		assert.Equal(t, tc.web, web, tc.href)
	}
}
