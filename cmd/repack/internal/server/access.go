package server

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// minAPIKeyBytes is the shortest API key accepted: shorter ones are
// guessable.
const minAPIKeyBytes = 16

// keyring holds the accepted API keys as SHA-256 digests, so that every
// comparison is between equal-length values and runs in constant time.
type keyring struct {
	digests [][sha256.Size]byte
}

func newKeyring(keys []string) (*keyring, error) {
	k := &keyring{}
	for i, key := range keys {
		if len(key) < minAPIKeyBytes {
			return nil, fmt.Errorf("API key %d is %d bytes; keys must be at least %d", i+1, len(key), minAPIKeyBytes)
		}
		k.digests = append(k.digests, sha256.Sum256([]byte(key)))
	}
	return k, nil
}

func (k *keyring) empty() bool { return len(k.digests) == 0 }

// accepts reports whether key is one of the keys. It compares against
// every key, whatever matched, so that the time taken says nothing about
// which key was close.
func (k *keyring) accepts(key string) bool {
	d := sha256.Sum256([]byte(key))
	match := 0
	for i := range k.digests {
		match |= subtle.ConstantTimeCompare(d[:], k.digests[i][:])
	}
	return match == 1
}

// LoadAPIKeys reads an API key file: one key per line; blank lines and
// lines starting with "#" are skipped, surrounding white space trimmed.
func LoadAPIKeys(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("API key file: %w", err)
	}
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		k := strings.TrimSpace(sc.Text())
		if k == "" || strings.HasPrefix(k, "#") {
			continue
		}
		if len(k) < minAPIKeyBytes {
			return nil, fmt.Errorf("API key file %s line %d: key is %d bytes; keys must be at least %d", path, line, len(k), minAPIKeyBytes)
		}
		if strings.ContainsAny(k, " \t") {
			return nil, fmt.Errorf("API key file %s line %d: a key may not contain white space", path, line)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("API key file %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("API key file %s holds no keys", path)
	}
	return keys, nil
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN"
// header, or "".
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) > len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		return strings.TrimSpace(h[len(prefix):])
	}
	return ""
}

// normaliseOrigin checks an --allow-origin value: scheme://host[:port],
// no path, lower-case scheme and host.
func normaliseOrigin(o string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("allowed origin %q: want scheme://host[:port], such as https://example.org or chrome-extension://<extension id>", o)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), nil
}

// originAllowed reports whether a request's Origin may use the API: an
// origin listed in the configuration (exact match), or the server's own
// origin.
func (s *Server) originAllowed(r *http.Request, origin string) bool {
	if norm, err := normaliseOrigin(origin); err == nil && s.origins[norm] {
		return true
	}
	return sameOrigin(r, origin)
}

// loopbackHost reports whether a Host header names this machine by a
// loopback address or as localhost, with or without a port. A server
// without API keys answers only such requests: a web page that rebinds
// its own name to 127.0.0.1 sends its own name as Host, and is refused.
func loopbackHost(host string) bool {
	h := host
	if hh, port, err := net.SplitHostPort(host); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return false
		}
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether origin is the server's own, as the browser
// saw it: Sec-Fetch-Site says so, or the origin's host is the Host the
// request was sent to.
func sameOrigin(r *http.Request, origin string) bool {
	if r.Header.Get("Sec-Fetch-Site") == "same-origin" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return u.Host != "" && strings.EqualFold(u.Host, r.Host)
}
